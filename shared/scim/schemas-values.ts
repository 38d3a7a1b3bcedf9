/**
 * Turning client JSON into stored SCIM resources and stored resources into responses: canonical attribute names (names
 * are case-insensitive, RFC 7643 §2.1; Microsoft's own tests post `"UserName"`, `"Active"`, `"Primary"`, RFC 7643 §2.1:
 * attribute names are case-insensitive), type checks and the Entra value quirks (string booleans, plain-string manager)
 * that a strict server rejects.
 */
import { badRequest } from './errors.ts';
import {
  COMMON_ATTRIBUTES,
  extensionUrn,
  findAttributeIn,
  resolveAttribute,
  schemaById,
  splitAttributeToken,
  type AttributeDef,
  type ResourceTypeDef,
} from './schemas.ts';
import { parseDateTime } from './filter.ts';
import { findOwnKey, setOwn } from './own-properties.ts';

export type Json = Record<string, unknown>;

/** Value-level tolerance: every flag is on in Entra-compatible mode and off in strict RFC mode. */
export interface ValueDialect {
  /**
   * `"True"`/`"False"` (any case) accepted for booleans and stored as real booleans (Microsoft Learn "Known issues and
   * resolutions with SCIM 2.0 protocol compliance")
   */
  stringBooleans: boolean;
  /**
   * a plain string manager is wrapped into `{ value }` (Microsoft Learn "Develop a SCIM endpoint for user
   * provisioning", "Update User [Single-valued properties]")
   */
  plainStringManager: boolean;
  /** a single value where a multi-valued attribute expects an array is wrapped into one */
  lenientMultiValued: boolean;
}

export interface NormalizeOptions extends ValueDialect {
  /** what to do with an attribute the server does not define */
  unsupportedAttributes: 'reject' | 'ignore';
  /** extension objects with an unknown URN: stored as sent (Entra custom extensions, §1.6 step 5), rejected or dropped */
  customExtensions: 'store' | 'reject' | 'ignore';
}

export const isPlainObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const invalidValue = (detail: string, rule: string) => badRequest('invalidValue', detail, rule);

function normalizeScalar(def: AttributeDef, value: unknown, options: ValueDialect, label: string): unknown {
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
        if (!options.stringBooleans) {
          throw invalidValue(`${label} must be a JSON boolean, not the string "${value}"`, 'strict.string-boolean');
        }
        return value.toLowerCase() === 'true';
      }
      throw invalidValue(`${label} must be a boolean`, 'type.boolean');
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw invalidValue(`${label} must be an integer`, 'type.integer');
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalidValue(`${label} must be a number`, 'type.decimal');
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(parseDateTime(value))) return value;
      throw invalidValue(`${label} must be an xsd:dateTime string`, 'type.dateTime');
    default:
      if (typeof value === 'string') return value;
      throw invalidValue(`${label} must be a string`, `type.${def.type}`);
  }
}

function normalizeComplex(def: AttributeDef, value: unknown, options: ValueDialect, label: string): Json | undefined {
  if (typeof value === 'string' && def.name === 'manager') {
    if (!options.plainStringManager) {
      throw invalidValue(`${label} must be an object such as {"value": "<id>"}, not a plain string`, 'strict.plain-string-manager');
    }
    return value === '' ? undefined : { value };
  }
  if (Array.isArray(value) && def.name === 'manager' && options.plainStringManager) {
    // legacy documented shape: [{"$ref": …, "value": …}] (Microsoft Learn "Develop a SCIM endpoint for user
    // provisioning", "Update User [Single-valued properties]")
    return value.length === 0 ? undefined : normalizeComplex(def, value[0], options, label);
  }
  if (typeof value === 'string' && def.multiValued && options.lenientMultiValued) return { value };
  if (!isPlainObject(value)) throw invalidValue(`${label} must be an object`, 'type.complex');
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    const sub = findAttributeIn(def.subAttributes, key);
    if (sub) {
      out[sub.name] = normalizeScalar(sub, item, options, `${label}.${sub.name}`);
    } else {
      // Unknown sub-attributes are kept as sent ("store values exactly as sent", Microsoft Learn "Develop a SCIM
      // endpoint for user provisioning", "General")
      setOwn(out, key, item);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Normalizes one attribute value against its definition. Returns undefined for "unassigned"
 * (null, empty complex, empty array: RFC 7643 §2.5 treats them alike).
 */
export function normalizeAttributeValue(def: AttributeDef, value: unknown, options: ValueDialect, label = def.name): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    let items: unknown[];
    if (Array.isArray(value)) items = value;
    else if (options.lenientMultiValued) items = [value];
    else throw invalidValue(`${label} is multi-valued and must be an array`, 'type.multiValued');
    const out = items
      .map((item) => (def.type === 'complex' ? normalizeComplex(def, item, options, label) : item === null ? undefined : normalizeScalar(def, item, options, label)))
      .filter((item) => item !== undefined);
    return out.length > 0 ? out : undefined;
  }
  if (def.type === 'complex') return normalizeComplex(def, value, options, label);
  if (Array.isArray(value)) throw invalidValue(`${label} is single-valued and must not be an array`, 'type.singleValued');
  return normalizeScalar(def, value, options, label);
}

function unsupported(name: string, options: NormalizeOptions): void {
  if (options.unsupportedAttributes === 'reject') {
    throw invalidValue(`the attribute "${name}" is not supported`, `vendor.unsupported-attribute:${name}`);
  }
}

/**
 * Builds the stored form of a resource from a POST/PUT body. Read-only attributes (id, meta, groups)
 * are ignored as RFC 7644 §3.3 asks; `schemas` is recomputed on output.
 */
export function normalizeResource(input: unknown, type: ResourceTypeDef, options: NormalizeOptions): Json {
  if (!isPlainObject(input)) throw badRequest('invalidSyntax', 'the request body must be a JSON object', 'body.not-object');
  const core = schemaById(type.schema);
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.toLowerCase() === 'schemas') {
      if (value !== undefined && (!Array.isArray(value) || value.some((s) => typeof s !== 'string'))) {
        throw invalidValue('"schemas" must be an array of strings', 'type.schemas');
      }
      continue;
    }
    const def = findAttributeIn(COMMON_ATTRIBUTES, key) ?? findAttributeIn(core?.attributes, key);
    if (def) {
      if (def.mutability === 'readOnly') continue;
      const normalized = normalizeAttributeValue(def, value, options);
      if (normalized !== undefined) out[def.name] = normalized;
      continue;
    }
    const urn = extensionUrn(type, key);
    if (urn) {
      if (value === null) continue;
      if (!isPlainObject(value)) throw invalidValue(`"${urn}" must be an object`, 'type.extension');
      const schema = schemaById(urn);
      const ext: Json = {};
      for (const [member, memberValue] of Object.entries(value)) {
        const memberDef = findAttributeIn(schema?.attributes, member);
        if (!memberDef) {
          unsupported(`${urn}:${member}`, options);
          continue;
        }
        if (memberDef.mutability === 'readOnly') continue;
        const normalized = normalizeAttributeValue(memberDef, memberValue, options, `${urn}:${memberDef.name}`);
        if (normalized !== undefined) ext[memberDef.name] = normalized;
      }
      if (Object.keys(ext).length > 0) out[urn] = ext;
      continue;
    }
    if (/^urn:/i.test(key) && isPlainObject(value)) {
      if (options.customExtensions === 'reject') {
        throw invalidValue(`the extension "${key}" is not supported`, `vendor.custom-extension:${key}`);
      }
      if (options.customExtensions === 'store') {
        const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
        if (Object.keys(kept).length > 0) out[key] = kept;
      }
      continue;
    }
    if (value === null) continue;
    unsupported(key, options);
  }
  return out;
}

/** `schemas` for a stored resource: the core URN plus every extension object it carries. */
export function schemasFor(resource: Json, type: ResourceTypeDef): string[] {
  const list = [type.schema];
  for (const key of Object.keys(resource)) if (/^urn:/i.test(key) && isPlainObject(resource[key])) list.push(key);
  return list;
}

interface Selector {
  /** top-level key in the stored resource (attribute name, or extension URN) */
  key: string;
  /** member of the extension object, for extension attributes */
  member?: string;
  sub?: string;
}

function selectorFor(name: string, type: ResourceTypeDef): Selector | undefined {
  // `emails[type eq "work"]` in attributes= (Microsoft's Postman suite) projects the whole attribute
  const bare = name.replace(/\[.*$/, '').trim();
  const urn = extensionUrn(type, bare);
  if (urn) return { key: urn };
  const ref = splitAttributeToken(bare);
  if (!ref) return undefined;
  const resolved = resolveAttribute(type, ref);
  if (resolved) {
    const selector: Selector = resolved.topLevel ? { key: resolved.def.name } : { key: resolved.schema, member: resolved.def.name };
    if (resolved.subDef) selector.sub = resolved.subDef.name;
    return selector;
  }
  if (ref.schema) return { key: ref.schema, member: ref.attr, ...(ref.sub ? { sub: ref.sub } : {}) };
  return { key: ref.attr, ...(ref.sub ? { sub: ref.sub } : {}) };
}

function pickSub(value: unknown, sub: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => pickSub(item, sub)).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const key = findOwnKey(value, sub);
  return key === undefined ? undefined : { [key]: value[key] };
}

function copySelected(from: Json, to: Json, selector: Selector): void {
  const key = findOwnKey(from, selector.key);
  if (key === undefined) return;
  let value = from[key];
  if (selector.member !== undefined) {
    if (!isPlainObject(value)) return;
    const memberKey = findOwnKey(value, selector.member);
    if (memberKey === undefined) return;
    const memberValue = selector.sub !== undefined ? pickSub(value[memberKey], selector.sub) : value[memberKey];
    if (memberValue === undefined) return;
    const target = isPlainObject(to[key]) ? (to[key] as Json) : {};
    target[memberKey] = memberValue;
    to[key] = target;
    return;
  }
  if (selector.sub !== undefined) {
    value = pickSub(value, selector.sub);
    if (value === undefined) return;
    if (isPlainObject(value) && isPlainObject(to[key])) value = { ...(to[key] as Json), ...value };
  }
  to[key] = value;
}

function removeSelected(resource: Json, selector: Selector): void {
  const key = findOwnKey(resource, selector.key);
  if (key === undefined) return;
  if (selector.member === undefined && selector.sub === undefined) {
    delete resource[key];
    return;
  }
  const container = resource[key];
  if (selector.member !== undefined) {
    if (!isPlainObject(container)) return;
    const memberKey = findOwnKey(container, selector.member);
    if (memberKey !== undefined) delete container[memberKey];
    return;
  }
  const items = Array.isArray(container) ? container : [container];
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    const subKey = findOwnKey(item, selector.sub!);
    if (subKey !== undefined) delete item[subKey];
  }
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9). `id` and `schemas` are
 * returned always; `password` (returned: never) never.
 */
export function projectResource(resource: Json, type: ResourceTypeDef, attributes?: string[], excludedAttributes?: string[]): Json {
  let out: Json;
  if (attributes && attributes.length > 0) {
    out = {};
    if (resource.schemas !== undefined) out.schemas = resource.schemas;
    if (resource.id !== undefined) out.id = resource.id;
    for (const name of attributes) {
      const selector = selectorFor(name, type);
      if (selector) copySelected(resource, out, selector);
    }
  } else if (!excludedAttributes || excludedAttributes.length === 0) {
    // the hot path (Entra's match GET): a shallow copy is enough, nothing below the top level changes
    out = { ...resource };
  } else {
    out = structuredClone(resource);
    for (const name of excludedAttributes) {
      const selector = selectorFor(name, type);
      if (!selector || selector.key === 'id' || selector.key === 'schemas') continue;
      removeSelected(out, selector);
    }
  }
  delete out.password;
  return out;
}
