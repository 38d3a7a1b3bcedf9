import { applyOperations, type PatchContext, type PatchDialect, type PatchOperation as AppliedOperation } from '../patch.ts';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schemas.ts';
import type { NormalizeOptions } from '../schemas-values.ts';
import { encodeQueryValue, filterLiteral, type RequestSpec } from './render.ts';
import { isFilteredPath, placeValue, readValue, type JsonObject, type JsonValue, type TargetPath } from './target-path.ts';
import { isComplexList, toWireValue, type ComplexValue, type MappedValue, type ScimDialect, type TargetAttributeInfo } from './wire.ts';

const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** The non-standard second URI Entra puts in a group POST (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Group operations"). */
const ENTRA_GROUP_SCHEMA = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const MANAGER_PATH = `${ENTERPRISE_USER_SCHEMA}:manager`;

type ResourceKind = 'Users' | 'Groups';

/** One mapped target value, ready to be placed in a body or compared with the target's copy. */
export interface TargetValue {
  readonly path: TargetPath;
  readonly info: TargetAttributeInfo;
  readonly value: MappedValue;
}

export interface PatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly value?: JsonValue;
}

/**
 * The match query for one matching attribute: `GET /Users?filter=<attr> eq "<value>"`; groups add
 * `excludedAttributes=members` (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Get User by query" and "Group operations"). The attribute is written as mapped, including the
 * non-RFC `emails[type eq "work"].value` form Microsoft documents.
 */
export function matchQuery(resource: ResourceKind, targetAttributeName: string, value: string): RequestSpec {
  const filter = encodeQueryValue(`${targetAttributeName} eq ${filterLiteral(value)}`);
  const prefix = resource === 'Groups' ? 'excludedAttributes=members&' : '';
  return { method: 'GET', path: `/${resource}?${prefix}filter=${filter}` };
}

/**
 * The POST /Users body (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Create User"): every value placed by its target name, `schemas` as Entra writes
 * it (core + enterprise, never custom extension URNs, step 5), `meta.resourceType` (step 6), and the empty
 * `roles` array every Microsoft example carries when no role is mapped.
 */
export function buildUserPostBody(values: readonly TargetValue[]): JsonObject {
  const body: JsonObject = { schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA] };
  for (const entry of values) placeValue(body, entry.path, toWireValue(entry.value, entry.info, 'post'));
  body.meta = { resourceType: 'User' };
  if (!Object.hasOwn(body, 'roles')) body.roles = [];
  return body;
}

/** POST /Groups: always without members; they follow in a PATCH (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Group operations"). */
export function buildGroupPostBody(values: readonly TargetValue[]): JsonObject {
  const body: JsonObject = { schemas: [CORE_GROUP_SCHEMA, ENTRA_GROUP_SCHEMA] };
  for (const entry of values) placeValue(body, entry.path, toWireValue(entry.value, entry.info, 'post'));
  body.meta = { resourceType: 'Group' };
  return body;
}

export function patchBody(operations: readonly PatchOperation[]): JsonObject {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations.map((op) => ({ ...op }) as JsonObject) };
}

export function postRequest(resource: ResourceKind, body: JsonObject): RequestSpec {
  return { method: 'POST', path: `/${resource}`, body };
}

export function patchRequest(resource: ResourceKind, targetId: string, operations: readonly PatchOperation[]): RequestSpec {
  return { method: 'PATCH', path: `/${resource}/${targetId}`, body: patchBody(operations) };
}

export function deleteRequest(resource: ResourceKind, targetId: string): RequestSpec {
  return { method: 'DELETE', path: `/${resource}/${targetId}` };
}

/** Operation names: capitalised in the default dialect, lower case with the flag (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service"). */
function opName(dialect: ScimDialect, op: 'add' | 'replace' | 'remove'): string {
  if (dialect === 'aadOptscim062020') return op;
  return op === 'add' ? 'Add' : op === 'replace' ? 'Replace' : 'Remove';
}

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as JsonValue[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const objectA = a as JsonObject;
  const objectB = b as JsonObject;
  const keys = Object.keys(objectA);
  return keys.length === Object.keys(objectB).length && keys.every((key) => jsonEqual(objectA[key], objectB[key]));
}

interface AttributeChange {
  readonly entry: TargetValue;
  /** the value as the target will hold it (POST typing: booleans are JSON booleans) */
  readonly stored: JsonValue;
  /** true when the target held no value: Entra then tends to send Add rather than Replace (§1.8) */
  readonly added: boolean;
  /** add-only role lists: the roles the target does not hold yet, which is all the PATCH sends (§1.11) */
  readonly newElements?: readonly ComplexValue[];
}

function sameRole(a: JsonValue, b: ComplexValue): boolean {
  if (!a || typeof a !== 'object' || Array.isArray(a)) return false;
  return a.value === b.value && (a.type ?? null) === (b.type ?? null);
}

/**
 * The attributes whose mapped value differs from what the target holds. Values the target holds but the
 * mapping no longer produces are not cleared: outbound provisioning cannot send nulls (Microsoft Learn "Known issues for provisioning in Microsoft Entra ID", "Null attribute can't be provisioned").
 */
export function diffAttributes(previous: JsonObject, values: readonly TargetValue[]): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const entry of values) {
    const held = readValue(previous, entry.path);
    if (isComplexList(entry.value) && entry.info.complexFlow !== 'replace') {
      // AppRoleAssignmentsComplex never removes a role (Microsoft Learn "Customize user provisioning attribute-mappings", "Provisioning a role to a SCIM app"): only roles not held are added.
      const heldList = Array.isArray(held) ? held : [];
      const fresh = entry.value.filter((role) => !heldList.some((h) => sameRole(h, role)));
      if (fresh.length === 0) continue;
      const stored = [...heldList, ...(toWireValue(fresh, entry.info, 'post') as JsonValue[])];
      changes.push({ entry, stored, added: heldList.length === 0, newElements: fresh });
      continue;
    }
    const stored = toWireValue(entry.value, entry.info, 'post');
    if (jsonEqual(held, stored)) continue;
    changes.push({ entry, stored, added: held === undefined || held === null });
  }
  return changes;
}

/**
 * PATCH operations for changed attributes (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service"; Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User [Multi-valued properties]").
 * Default dialect: one capitalised operation per attribute, each with its `path`.
 * aadOptscim062020: filtered multi-valued paths stay separate operations; when several single-valued
 * attributes change they collapse into one path-less `replace` whose value keys are attribute paths
 * (`"name.givenName"`), while a lone change keeps its path (the flag's "disable" and "add single string" rows).
 * Whether a first value goes out as Add or Replace is inconsistent in practice; this builder sends Add when
 * the target held nothing and Replace otherwise.
 */
export function patchOperationsFor(changes: readonly AttributeChange[], dialect: ScimDialect): PatchOperation[] {
  const single = (change: AttributeChange): PatchOperation => {
    if (isComplexList(change.entry.value)) {
      // Role lists: Add of the new roles, or replace of the whole list for the Assertive function (§1.11).
      const replace = change.entry.info.complexFlow === 'replace';
      return {
        op: opName(dialect, replace ? 'replace' : 'add'),
        path: change.entry.path.raw,
        value: toWireValue(replace ? change.entry.value : (change.newElements ?? change.entry.value), change.entry.info, dialect),
      };
    }
    return { op: opName(dialect, change.added ? 'add' : 'replace'), path: change.entry.path.raw, value: toWireValue(change.entry.value, change.entry.info, dialect) };
  };
  if (dialect === 'default') return changes.map(single);
  // Role lists keep their own operation, like filtered paths.
  const separate = (c: AttributeChange) => isFilteredPath(c.entry.path) || isComplexList(c.entry.value);
  const filtered = changes.filter(separate);
  const plain = changes.filter((c) => !separate(c));
  const operations = filtered.map(single);
  if (plain.length === 1) operations.push(single(plain[0]!));
  else if (plain.length > 1) {
    const merged: JsonObject = {};
    for (const change of plain) merged[change.entry.path.raw] = toWireValue(change.entry.value, change.entry.info, dialect);
    operations.push({ op: 'replace', value: merged });
  }
  return operations;
}

/**
 * How the preview reads its own changes with the mock server's PATCH applier: Entra's dialect (a filtered path
 * with no matching element creates it, per Microsoft Learn "Tutorial: Develop and plan provisioning for a SCIM
 * endpoint in Microsoft Entra ID"), values kept as typed for the POST body, attributes outside the schema kept
 * as mapped. A "" stays a value: outbound provisioning sends no empty value to clear an attribute.
 */
const PREVIEW_DIALECT: PatchDialect = {
  dottedPathlessKeys: true,
  createOnFilteredPath: true,
  memberRemovalByValue: 'remove-listed',
  filterOnSingleValued: true,
  emptyStringClears: false,
  requirePatchOpSchema: false,
  opNamesAnyCase: true,
};
const PREVIEW_VALUES: NormalizeOptions = {
  stringBooleans: true, plainStringManager: true, lenientMultiValued: true, unsupportedAttributes: 'ignore', customExtensions: 'store',
};
const PREVIEW_CONTEXTS: Record<ResourceKind, PatchContext> = {
  Users: { type: USER_RESOURCE_TYPE, dialect: PREVIEW_DIALECT, values: PREVIEW_VALUES, keepAsMapped: true },
  Groups: { type: GROUP_RESOURCE_TYPE, dialect: PREVIEW_DIALECT, values: PREVIEW_VALUES, keepAsMapped: true },
};

/**
 * The target's resource after the changes: the resource as the vendor holds it afterwards, decided by the one
 * PATCH applier the mock server uses (issue 17). Each change is a replace of its path by `stored`, the whole
 * value the target holds afterwards. Copy-on-write: `previous` is never modified and only what a change
 * writes into is copied (a 100,000-user preview cannot afford a deep copy per user).
 */
export function applyChanges(previous: JsonObject, changes: readonly AttributeChange[], resource: ResourceKind = 'Users'): JsonObject {
  if (changes.length === 0) return previous;
  const operations = changes.map(({ entry, stored }): AppliedOperation => {
    // A name outside the attribute-path grammar is one attribute named by its whole text, as in the POST body.
    const { parsed, raw, urn, attribute } = entry.path;
    const parsedPath = parsed ?? { text: raw, ref: urn === null ? { attr: attribute } : { schema: urn, attr: attribute } };
    return { op: 'replace', path: raw, value: stored, parsedPath };
  });
  return applyOperations(previous, operations, PREVIEW_CONTEXTS[resource], 'copy-on-write') as JsonObject;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The manager link: a separate PATCH after create/match, carrying the manager's *target* id as a plain string
 * at the enterprise URN path (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User [Single-valued properties]", current observed shape). A removal uses the observed
 * `manager[value eq "<id>"]` filter path.
 */
export function managerOperation(
  dialect: ScimDialect,
  change: { kind: 'add' | 'replace'; targetId: string } | { kind: 'remove'; previousTargetId: string },
): PatchOperation {
  if (change.kind === 'remove') {
    return { op: opName(dialect, 'remove'), path: `manager[value eq ${filterLiteral(change.previousTargetId)}]` };
  }
  return { op: opName(dialect, change.kind), path: MANAGER_PATH, value: change.targetId };
}

/** Reads the manager id the target holds, in the RFC shape the mock server returns (`manager: {value}`). */
export function heldManagerId(resource: JsonObject): string | undefined {
  const extension = resource[ENTERPRISE_USER_SCHEMA];
  if (!extension || typeof extension !== 'object' || Array.isArray(extension)) return undefined;
  const manager = (extension as JsonObject).manager;
  if (typeof manager === 'string') return manager || undefined;
  if (manager && typeof manager === 'object' && !Array.isArray(manager)) {
    const value = (manager as JsonObject).value;
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  return undefined;
}

/** The resource with its manager link set or cleared; `resource` is left as it was (only the extension is copied). */
export function withManager(resource: JsonObject, managerTargetId: string | undefined): JsonObject {
  const held = resource[ENTERPRISE_USER_SCHEMA];
  const extension: JsonObject = isObject(held) ? { ...held } : {};
  const next: JsonObject = { ...resource };
  if (managerTargetId === undefined) {
    delete extension.manager;
    if (Object.keys(extension).length === 0) delete next[ENTERPRISE_USER_SCHEMA];
    else next[ENTERPRISE_USER_SCHEMA] = extension;
    return next;
  }
  extension.manager = { value: managerTargetId };
  next[ENTERPRISE_USER_SCHEMA] = extension;
  return next;
}

/**
 * Group membership PATCH operations (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Group operations"): additions in one `Add members` operation; removals
 * as a `value` array by default, and one `members[value eq "…"]` operation per member with the flag.
 */
export function memberOperations(dialect: ScimDialect, add: readonly string[], remove: readonly string[]): PatchOperation[] {
  const operations: PatchOperation[] = [];
  if (add.length > 0) {
    operations.push({ op: opName(dialect, 'add'), path: 'members', value: add.map((id) => ({ $ref: null, value: id })) });
  }
  if (remove.length > 0) {
    if (dialect === 'default') {
      operations.push({ op: 'Remove', path: 'members', value: remove.map((id) => ({ $ref: null, value: id })) });
    } else {
      for (const id of remove) operations.push({ op: 'remove', path: `members[value eq ${filterLiteral(id)}]` });
    }
  }
  return operations;
}
