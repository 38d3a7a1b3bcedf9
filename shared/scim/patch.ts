/**
 * PATCH semantics (RFC 7644 §3.5.2) with the Entra deviations of Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service", each behind a
 * dialect flag so strict RFC mode can reject them the way a strict vendor would. Operations apply in
 * order to a copy; the first failure throws and nothing is changed (atomicity, §3.5.2).
 */
import { badRequest } from './errors.ts';
import { ElementLookup, indexableEquality } from './element-lookup.ts';
import { ElementSet } from './element-set.ts';
import { matchesElement, type FilterNode } from './filter.ts';
import { findOwnKey } from './own-properties.ts';
import { equalitiesOf, parsePatchPath, type PatchPath } from './path.ts';
import { findAttributeIn, resolveAttribute, schemaById, URN, type AttributeDef, type ResolvedAttribute, type ResourceTypeDef } from './schemas.ts';
import { isPlainObject, normalizeAttributeValue, type Json, type NormalizeOptions } from './schemas-values.ts';

export interface PatchDialect {
  /** path-less add/replace whose value keys are attribute paths (`"name.givenName"`), aadOptscim062020 shape */
  dottedPathlessKeys: boolean;
  /** add/replace on `attr[type eq "x"].sub` with no matching element creates it (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User [Multi-valued properties]") */
  createOnFilteredPath: boolean;
  /** `remove` + `path: "members"` + `value: [{value}]`: Entra's default member removal (§1.10) */
  memberRemovalByValue: 'remove-listed' | 'remove-all' | 'reject';
  /** `manager[value eq "x"]`: a value filter on a single-valued complex attribute (Entra's manager removal) */
  filterOnSingleValued: boolean;
  /** replace with `""` clears the attribute (Microsoft's null/empty update test, §1.8) */
  emptyStringClears: boolean;
  /** the body must list the PatchOp schema URN */
  requirePatchOpSchema: boolean;
  /**
   * `op` matched in any case: Entra's default dialect sends "Add"/"Replace"/"Remove" and lower case only with
   * aadOptscim062020 (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance"); RFC 7644
   * §3.5.2 names the values in lower case, so a strict vendor takes only those.
   */
  opNamesAnyCase: boolean;
}

export interface PatchContext {
  type: ResourceTypeDef;
  dialect: PatchDialect;
  values: NormalizeOptions;
  /**
   * The preview's reading (issue 17): values arrive already typed as Entra's POST body types them and are kept
   * as given, and an attribute or sub-attribute the schema lacks is kept as written rather than left to the
   * vendor policy, because the preview shows what the mapping sends to a vendor whose schema it cannot know.
   */
  keepAsMapped?: boolean;
}

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
  /** `path` already read with parseAttributePath: the preview's target names, parsed once per mapping set */
  parsedPath?: PatchPath;
}

/**
 * One applyPatch run: the element sets that successive whole-attribute adds extend, and the lookups that
 * successive filtered removals narrow, each keyed by the multi-valued attribute's array.
 */
interface RunContext extends PatchContext {
  /** made on first use: most runs (the preview's, one per changed user) never need one */
  elementSets?: Map<unknown[], ElementSet>;
  elementLookups?: Map<unknown[], ElementLookup>;
  /** copy-on-write runs: the containers this run copied and may change; undefined when the caller owns all of it */
  owned?: Set<unknown>;
}

/** Each cache stays valid only across the operations that maintain it; any other write may change elements. */
function forgetStaleIndexes(context: RunContext, op: PatchOperation['op'], path: PatchPath): void {
  if (op !== 'add' || path.filter !== undefined || path.ref?.sub !== undefined) context.elementSets?.clear();
  if (op !== 'remove' || path.filter === undefined || path.subAttribute !== undefined) flushLookups(context);
}

function flushLookups(context: RunContext): void {
  if (!context.elementLookups) return;
  for (const lookup of context.elementLookups.values()) lookup.flush();
  context.elementLookups.clear();
}

const PATCH_OPS: ReadonlySet<string> = new Set<PatchOperation['op']>(['add', 'remove', 'replace']);

const invalidSyntax = (detail: string, rule = 'patch.syntax') => badRequest('invalidSyntax', detail, rule);

/** Reads the PatchOp envelope; op names match as the dialect's `opNamesAnyCase` says. */
export function parsePatchRequest(body: unknown, dialect: PatchDialect): PatchOperation[] {
  if (!isPlainObject(body)) throw invalidSyntax('the PATCH body must be a JSON object');
  const schemasKey = findOwnKey(body, 'schemas');
  const schemas = schemasKey ? body[schemasKey] : undefined;
  const listsPatchOp = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase());
  if (dialect.requirePatchOpSchema && !listsPatchOp) {
    throw invalidSyntax(`"schemas" must contain "${URN.patchOp}"`, 'patch.schema');
  }
  const opsKey = findOwnKey(body, 'Operations');
  const operations = opsKey ? body[opsKey] : undefined;
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax('"Operations" must be a non-empty array');
  return operations.map((raw, index) => {
    if (!isPlainObject(raw)) throw invalidSyntax(`operation ${index + 1} must be an object`);
    const opKey = findOwnKey(raw, 'op');
    const op = opKey ? raw[opKey] : undefined;
    const name = typeof op === 'string' && dialect.opNamesAnyCase ? op.toLowerCase() : op;
    if (typeof name !== 'string' || !PATCH_OPS.has(name)) {
      throw invalidSyntax(`operation ${index + 1}: "op" must be ${dialect.opNamesAnyCase ? '' : 'exactly '}add, remove or replace, got ${JSON.stringify(op ?? null)}`, 'patch.op');
    }
    const operation: PatchOperation = { op: name as PatchOperation['op'] };
    const pathKey = findOwnKey(raw, 'path');
    const path = pathKey ? raw[pathKey] : undefined;
    if (path !== undefined && path !== null) {
      if (typeof path !== 'string') throw badRequest('invalidPath', `operation ${index + 1}: "path" must be a string`, 'patch.invalid-path');
      operation.path = path;
    }
    const valueKey = findOwnKey(raw, 'value');
    if (valueKey !== undefined) operation.value = raw[valueKey];
    return operation;
  });
}

/** Applies operations to a copy of `resource` and returns the copy. Throws ScimError; `resource` is never touched. */
export function applyPatch(resource: Json, operations: PatchOperation[], context: PatchContext): Json {
  const working = applyOperations(structuredClone(resource), operations, context, 'in-place');
  for (const required of requiredAttributes(context.type)) {
    if (working[required.name] === undefined || working[required.name] === '') {
      throw badRequest('mutability', `"${required.name}" is required and cannot be removed`, 'patch.required');
    }
  }
  return working;
}

/**
 * The one PATCH applier. 'in-place' changes `resource`, which the caller owns (the mock server's clone);
 * 'copy-on-write' leaves `resource` as it was and copies only the objects and lists an operation writes into,
 * sharing the rest (the preview's targets: a 100,000-user preview cannot afford a deep copy per user).
 * A failure throws ScimError part-way; an in-place caller then discards its copy.
 */
export function applyOperations(resource: Json, operations: readonly PatchOperation[], context: PatchContext, mode: 'in-place' | 'copy-on-write'): Json {
  const working = mode === 'in-place' ? resource : { ...resource };
  // One object shape for every run, whatever optional fields the caller's context has.
  const run: RunContext = {
    type: context.type, dialect: context.dialect, values: context.values, keepAsMapped: context.keepAsMapped === true,
    elementSets: undefined, elementLookups: undefined, owned: mode === 'copy-on-write' ? new Set<unknown>([working]) : undefined,
  };
  for (const operation of operations) applyOperation(working, operation, run);
  flushLookups(run);
  return working;
}

/**
 * The value at `container[key]`, made safe to change: in a copy-on-write run an object or list not yet copied
 * is replaced by a shallow copy (a list with copies of its object elements, which filtered paths write into).
 */
function writable(context: RunContext, container: Json, key: string): unknown {
  const value = container[key];
  if (!context.owned || value === null || typeof value !== 'object' || context.owned.has(value)) return value;
  const copy = Array.isArray(value) ? value.map((element) => (isPlainObject(element) ? own(context, { ...element }) : element)) : { ...(value as Json) };
  container[key] = own(context, copy);
  return copy;
}

function own<T>(context: RunContext, value: T): T {
  context.owned?.add(value);
  return value;
}

/** A value read for `def`: normalized by the schema for a vendor, kept as given for the preview (keepAsMapped). */
function typed(def: AttributeDef, value: unknown, context: PatchContext, label: string): unknown {
  if (context.keepAsMapped) return value === null ? undefined : value;
  return normalizeAttributeValue(def, value, context.values, label);
}

/** Moves a differently cased key of `name` to `name` (attribute names are case-insensitive, RFC 7643 §2.1). */
function adoptSpelling(container: Json, name: string): void {
  const key = findOwnKey(container, name);
  if (key === undefined || key === name) return;
  container[name] = container[key];
  delete container[key];
}

/** For the preview (keepAsMapped): an attribute outside the schema, typed by the path that names it. */
function asMappedDef(name: string, complex: boolean, multiValued: boolean): AttributeDef {
  return {
    name, type: complex ? 'complex' : 'string', multiValued, description: '', required: false, caseExact: false,
    mutability: 'readWrite', returned: 'default', uniqueness: 'none', subAttributes: [],
  };
}

function requiredAttributes(type: ResourceTypeDef): AttributeDef[] {
  return schemaById(type.schema)?.attributes.filter((a) => a.required) ?? [];
}

function applyOperation(resource: Json, operation: PatchOperation, context: RunContext): void {
  if (operation.path === undefined) {
    applyPathless(resource, operation, context);
    return;
  }
  applyAtPath(resource, operation.op, operation.parsedPath ?? parsePatchPath(operation.path, context.type), operation.value, operation, context);
}

/** No path: `value` is an object of attributes (RFC §3.5.2.1/3) or, Entra-style, of attribute paths (§1.8). */
function applyPathless(resource: Json, operation: PatchOperation, context: RunContext): void {
  if (operation.op === 'remove') throw badRequest('noTarget', 'a remove operation needs a "path"', 'patch.remove-without-path');
  if (!isPlainObject(operation.value)) {
    throw badRequest('invalidValue', `a ${operation.op} without "path" needs an object "value"`, 'patch.pathless-value');
  }
  for (const [key, value] of Object.entries(operation.value)) {
    if (key.toLowerCase() === 'schemas') continue;
    const path = parsePatchPath(key, context.type);
    const isAttributePath = path.extension === undefined && (key.includes('.') || path.ref?.schema !== undefined || path.filter !== undefined);
    if (isAttributePath && !context.dialect.dottedPathlessKeys) {
      throw badRequest(
        'invalidPath',
        `"${key}" is an attribute path; without "path" the value keys must be attribute names (RFC 7644 §3.5.2)`,
        'strict.pathless-dotted-key',
      );
    }
    applyAtPath(resource, operation.op, path, value, operation, context);
  }
}

function containerFor(resource: Json, schema: string, topLevel: boolean, create: boolean, context: RunContext): Json | undefined {
  if (topLevel) return resource;
  const key = findOwnKey(resource, schema);
  const existing = key === undefined ? undefined : writable(context, resource, key);
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const fresh: Json = own(context, {});
  resource[schema] = fresh;
  return fresh;
}

function pruneEmptyExtension(resource: Json, schema: string, topLevel: boolean): void {
  if (topLevel) return;
  const container = resource[schema];
  if (isPlainObject(container) && Object.keys(container).length === 0) delete resource[schema];
}

function isClearing(value: unknown, context: PatchContext): boolean {
  return value === null || (value === '' && context.dialect.emptyStringClears);
}

function applyAtPath(resource: Json, op: PatchOperation['op'], path: PatchPath, value: unknown, operation: PatchOperation, context: RunContext): void {
  forgetStaleIndexes(context, op, path);
  if (path.extension) {
    applyExtensionRoot(resource, op, path.extension, value, context);
    return;
  }
  const ref = path.ref!;
  const resolved = resolvePath(path, context) ?? asMappedAttribute(path, context);
  if (!resolved) {
    applyUnknown(resource, op, path, value, context);
    return;
  }
  // The preview keeps a value filter on a simple attribute as a list of elements, as the name says.
  const def = context.keepAsMapped && path.filter && resolved.def.type !== 'complex' ? asMappedDef(resolved.def.name, true, true) : resolved.def;
  // The preview shows what Entra sends; whether a vendor accepts a read-only attribute is the mock server's call.
  if (def.mutability === 'readOnly' && !context.keepAsMapped) {
    throw badRequest('mutability', `"${path.text}" is read-only`, 'patch.readonly');
  }
  const container = containerFor(resource, resolved.schema, resolved.topLevel, op !== 'remove', context);
  if (!container) return;
  adoptSpelling(container, def.name);

  if (path.filter) {
    applyFiltered(container, def, op, path, value, context);
  } else if (ref.sub !== undefined) {
    applySubAttribute(container, def, op, path, ref.sub, value, context);
  } else {
    applyWhole(container, def, op, path, value, operation, context);
  }
  if (Array.isArray(container[def.name]) && (container[def.name] as unknown[]).length === 0) delete container[def.name];
  pruneEmptyExtension(resource, resolved.schema, resolved.topLevel);
}

/** Resolutions of parsed paths: the preview applies the same parsed target names for every user. */
const resolvedPaths = new WeakMap<PatchPath, { type: ResourceTypeDef; resolved: ResolvedAttribute | undefined }>();

function resolvePath(path: PatchPath, context: PatchContext): ResolvedAttribute | undefined {
  const hit = resolvedPaths.get(path);
  if (hit?.type === context.type) return hit.resolved;
  const ref = path.ref!;
  const resolved = resolveAttribute(context.type, { ...(ref.schema !== undefined ? { schema: ref.schema } : {}), attr: ref.attr });
  resolvedPaths.set(path, { type: context.type, resolved });
  return resolved;
}

/** The preview's resolver (keepAsMapped): an attribute the schema lacks lives where its path puts it. */
function asMappedAttribute(path: PatchPath, context: PatchContext): { schema: string; topLevel: boolean; def: AttributeDef } | undefined {
  if (!context.keepAsMapped) return undefined;
  const ref = path.ref!;
  const topLevel = ref.schema === undefined || ref.schema.toLowerCase() === context.type.schema.toLowerCase();
  const def = asMappedDef(ref.attr, path.filter !== undefined || ref.sub !== undefined, path.filter !== undefined);
  return { schema: topLevel ? context.type.schema : ref.schema!, topLevel, def };
}

function applyExtensionRoot(resource: Json, op: PatchOperation['op'], urn: string, value: unknown, context: RunContext): void {
  if (op === 'remove') {
    const key = findOwnKey(resource, urn);
    if (key !== undefined) delete resource[key];
    return;
  }
  if (!isPlainObject(value)) throw badRequest('invalidValue', `the value for "${urn}" must be an object`, 'patch.extension-value');
  const schema = schemaById(urn);
  const container = containerFor(resource, urn, false, true, context)!;
  for (const [member, memberValue] of Object.entries(value)) {
    const def = findAttributeIn(schema?.attributes, member);
    if (!def) {
      if (context.values.unsupportedAttributes === 'reject') {
        throw badRequest('invalidPath', `the attribute "${urn}:${member}" is not supported`, `vendor.unsupported-attribute:${urn}:${member}`);
      }
      continue;
    }
    if (def.mutability === 'readOnly') throw badRequest('mutability', `"${urn}:${def.name}" is read-only`, 'patch.readonly');
    setOrMerge(container, def, op, memberValue, context, `${urn}:${def.name}`);
  }
  pruneEmptyExtension(resource, urn, false);
}

/** Attributes the schema does not define: custom extension members are stored as sent, others follow the vendor policy. */
function applyUnknown(resource: Json, op: PatchOperation['op'], path: PatchPath, value: unknown, context: RunContext): void {
  const ref = path.ref!;
  const isCustomExtension = ref.schema !== undefined && ref.schema.toLowerCase() !== context.type.schema.toLowerCase();
  if (isCustomExtension && context.values.customExtensions === 'store' && !path.filter) {
    const container = containerFor(resource, ref.schema!, false, op !== 'remove', context);
    if (!container) return;
    const key = findOwnKey(container, ref.attr) ?? ref.attr;
    if (op === 'remove' || isClearing(value, context)) delete container[key];
    else if (ref.sub !== undefined) {
      const held = writable(context, container, key);
      const target = isPlainObject(held) ? held : {};
      target[ref.sub] = value;
      container[key] = target;
    } else container[key] = value;
    pruneEmptyExtension(resource, ref.schema!, false);
    return;
  }
  const reject = isCustomExtension ? context.values.customExtensions === 'reject' : context.values.unsupportedAttributes === 'reject';
  if (reject) throw badRequest('invalidPath', `the attribute "${path.text}" is not supported`, `vendor.unsupported-attribute:${path.text}`);
}

/** Sets a whole attribute (replace) or merges into it (add), honouring the multi-valued and complex rules. */
function setOrMerge(container: Json, def: AttributeDef, op: 'add' | 'replace' | 'remove', value: unknown, context: RunContext, label: string): void {
  if (op === 'replace' && isClearing(value, context)) {
    delete container[def.name];
    return;
  }
  adoptSpelling(container, def.name);
  const normalized = typed(def, value, context, label);
  if (normalized === undefined) {
    if (op === 'replace') delete container[def.name];
    return;
  }
  if (def.multiValued) {
    if (op === 'replace') {
      container[def.name] = normalized;
      return;
    }
    // keepAsMapped values are not normalized, so a single value added to a list is still one element
    const incoming = Array.isArray(normalized) ? normalized : [normalized];
    const held = writable(context, container, def.name);
    const existing = Array.isArray(held) ? held : own(context, []);
    let elements = context.elementSets?.get(existing);
    if (!elements) {
      elements = new ElementSet(existing, def.name === 'members');
      (context.elementSets ??= new Map()).set(existing, elements);
    }
    for (const item of incoming) elements.add(item);
    container[def.name] = existing;
    return;
  }
  if (def.type === 'complex' && isPlainObject(normalized) && isPlainObject(container[def.name])) {
    // complex: given sub-attributes replace, others are kept (RFC 7644 §3.5.2.1 and §3.5.2.3)
    container[def.name] = { ...(container[def.name] as Json), ...normalized };
    return;
  }
  container[def.name] = normalized;
}

function applyWhole(container: Json, def: AttributeDef, op: PatchOperation['op'], path: PatchPath, value: unknown, operation: PatchOperation, context: RunContext): void {
  if (op !== 'remove') {
    setOrMerge(container, def, op, value, context, path.text);
    return;
  }
  if (def.required) throw badRequest('mutability', `"${def.name}" is required and cannot be removed`, 'patch.required');
  if (def.multiValued && operation.value !== undefined && operation.value !== null) {
    const mode = context.dialect.memberRemovalByValue;
    if (mode === 'reject') {
      throw badRequest(
        'invalidValue',
        `remove "${path.text}" must not carry a value; select elements with a filter such as ${def.name}[value eq "…"]`,
        'strict.remove-by-value-array',
      );
    }
    if (mode === 'remove-listed') {
      const listed = new Set(
        (Array.isArray(operation.value) ? operation.value : [operation.value])
          .map((item) => (isPlainObject(item) ? item.value : item))
          .filter((item) => item !== undefined && item !== null)
          .map(String),
      );
      const existing = Array.isArray(container[def.name]) ? (container[def.name] as unknown[]) : [];
      container[def.name] = own(context, existing.filter((element) => !(isPlainObject(element) && listed.has(String(element.value)))));
      return;
    }
  }
  delete container[def.name];
}

function applySubAttribute(container: Json, def: AttributeDef, op: PatchOperation['op'], path: PatchPath, sub: string, value: unknown, context: RunContext): void {
  const subDef = subAttributeDef(def, path, sub, context);
  if (subDef.mutability === 'readOnly' && !context.keepAsMapped) throw badRequest('mutability', `"${path.text}" is read-only`, 'patch.readonly');
  const targets: Json[] = [];
  if (def.multiValued) {
    const held = writable(context, container, def.name);
    const elements = Array.isArray(held) ? held : [];
    for (const element of elements) if (isPlainObject(element)) targets.push(element);
    if (targets.length === 0 && op !== 'remove') {
      if (!context.keepAsMapped) throw badRequest('noTarget', `"${path.text}" selects no element`, 'patch.no-target');
      // the preview: the mapped value is held in a first element
      targets.push(own(context, {}));
      container[def.name] = own(context, [...elements, targets[0]]);
    }
  } else {
    let target = writable(context, container, def.name);
    if (!isPlainObject(target)) {
      if (op === 'remove') return;
      target = own(context, {});
      container[def.name] = target;
    }
    targets.push(target as Json);
  }
  setSub(targets, subDef, op, value, context, path.text);
  if (!def.multiValued && isPlainObject(container[def.name]) && Object.keys(container[def.name] as Json).length === 0) {
    delete container[def.name];
  }
}

function setSub(targets: Json[], subDef: AttributeDef, op: PatchOperation['op'], value: unknown, context: PatchContext, label: string): void {
  const clearing = op === 'remove' || isClearing(value, context);
  const normalized = clearing ? undefined : typed(subDef, value, context, label);
  for (const target of targets) {
    const key = findOwnKey(target, subDef.name);
    if (key !== undefined && key !== subDef.name) delete target[key];
    if (normalized === undefined) delete target[subDef.name];
    else target[subDef.name] = normalized;
  }
}

function applyFiltered(container: Json, def: AttributeDef, op: PatchOperation['op'], path: PatchPath, value: unknown, context: RunContext): void {
  if (def.type !== 'complex') throw badRequest('invalidPath', `"${path.text}": a value filter needs a complex attribute`, 'patch.invalid-path');
  const filter = path.filter!;
  if (!def.multiValued) {
    // Entra removes the manager with remove manager[value eq "…"] (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User [Single-valued properties]")
    if (!context.dialect.filterOnSingleValued) {
      throw badRequest('invalidPath', `"${path.text}": a value filter applies only to multi-valued attributes`, 'strict.filter-on-single-valued');
    }
    const current = writable(context, container, def.name);
    const matched = isPlainObject(current) && matchesElement(filter, current, def);
    if (op === 'remove') {
      if (!matched) return;
      if (path.subAttribute === undefined) delete container[def.name];
      else setSub([current as Json], subAttributeDef(def, path, path.subAttribute, context), 'remove', undefined, context, path.text);
      return;
    }
    if (!matched) throw badRequest('noTarget', `"${path.text}" selects nothing`, 'patch.no-target');
    if (path.subAttribute !== undefined) setSub([current as Json], subAttributeDef(def, path, path.subAttribute, context), op, value, context, path.text);
    else setOrMerge(container, def, 'add', value, context, path.text);
    return;
  }

  const held = writable(context, container, def.name);
  const elements = Array.isArray(held) ? held : own(context, []);
  if (op === 'remove' && path.subAttribute === undefined) {
    removeMatching(container, elements, def, filter, context);
    return;
  }
  const matches = elements.filter((element) => matchesElement(filter, element, def)) as Json[];
  const selected = new Set<unknown>(matches);
  if (op === 'remove') {
    setSub(matches, subAttributeDef(def, path, path.subAttribute!, context), 'remove', undefined, context, path.text);
    return;
  }
  if (matches.length === 0) {
    const seed = equalitiesOf(filter);
    if (!context.dialect.createOnFilteredPath || !seed) {
      throw badRequest('noTarget', `"${path.text}" selects no element`, context.dialect.createOnFilteredPath ? 'patch.no-target' : 'strict.filtered-path-no-target');
    }
    // Entra expects the element to be created: {"type": "<t>", "<sub>": value} (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User [Multi-valued properties]")
    const created = own(context, normalizeAttributeValue({ ...def, multiValued: false }, seed, context.values, path.text) as Json);
    elements.push(created);
    container[def.name] = elements;
    matches.push(created);
    selected.add(created);
  }
  if (path.subAttribute !== undefined) {
    setSub(matches, subAttributeDef(def, path, path.subAttribute, context), op, value, context, path.text);
    return;
  }
  if (isClearing(value, context) && op === 'replace') {
    container[def.name] = own(context, elements.filter((element) => !selected.has(element)));
    return;
  }
  let normalized = typed({ ...def, multiValued: false }, value, context, path.text);
  // the preview: a plain value mapped to a whole element is that element's `value` (RFC 7643 §2.4)
  if (context.keepAsMapped && normalized !== undefined && !isPlainObject(normalized)) normalized = { value: normalized };
  if (!isPlainObject(normalized)) throw badRequest('invalidValue', `"${path.text}" needs an object value`, 'patch.filtered-value');
  container[def.name] = own(context, elements.map((element) => {
    if (!selected.has(element)) return element;
    return own(context, op === 'replace' ? { ...normalized } : { ...(element as Json), ...normalized });
  }));
}

/** Removes the elements a value filter selects, in place; `sub eq "x"` filters are looked up, not scanned. */
function removeMatching(container: Json, elements: unknown[], def: AttributeDef, filter: FilterNode, context: RunContext): void {
  const equality = indexableEquality(filter, def);
  let lookup = context.elementLookups?.get(elements);
  if (lookup && lookup.sub !== equality?.sub) {
    lookup.flush();
    context.elementLookups?.delete(elements);
    lookup = undefined;
  }
  if (equality && !lookup && container[def.name] === elements) {
    lookup = new ElementLookup(elements, equality.sub, container, def.name);
    (context.elementLookups ??= new Map()).set(elements, lookup);
  }
  if (!equality || !lookup) {
    let kept = 0;
    for (const element of elements) if (!matchesElement(filter, element, def)) elements[kept++] = element;
    elements.length = kept;
    return;
  }
  lookup.remove(lookup.candidates(equality.value).filter((element) => matchesElement(filter, element, def)));
}

/** The sub-attribute a path names; the preview (keepAsMapped) keeps one the schema lacks as written. */
function subAttributeDef(def: AttributeDef, path: PatchPath, sub: string, context: PatchContext): AttributeDef {
  const subDef = findAttributeIn(def.subAttributes, sub);
  if (subDef) return subDef;
  if (context.keepAsMapped) return asMappedDef(sub, false, false);
  throw badRequest('invalidPath', `"${path.text}": "${def.name}" has no sub-attribute "${sub}"`, 'patch.invalid-path');
}

