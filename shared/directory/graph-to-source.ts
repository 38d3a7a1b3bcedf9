/**
 * Microsoft Graph v1.0 user/group JSON → the source object Entra's provisioning engine evaluates mappings against
 * (Microsoft Graph "user resource type", "group resource type"). The raw Graph JSON is kept by the caller next to the
 * result, so a fix here never needs a refetch (docs/architecture.md, "Data").
 */
import type { SourceObject, SourceValue } from './source-object.ts';
import { isDirectoryExtensionName, userSourceAttributes, type SourceAttributeDefinition } from './source-schema.ts';

/** onPremisesExtensionAttributes as Graph returns it: extensionAttribute1..15, each string or null. */
type GraphOnPremisesExtensionAttributes = Partial<Record<`extensionAttribute${number}`, string | null>>;

/** The manager as `$expand=manager($select=id,displayName,userPrincipalName,mail)` returns it. */
export interface GraphManagerRef {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
}

/**
 * A Graph v1.0 user with the properties the source model reads. Every property is optional because
 * Graph returns only what `$select` names; directory extensions appear as extra `extension_*` keys.
 */
export interface GraphUser {
  id: string;
  accountEnabled?: boolean | null;
  userPrincipalName?: string | null;
  mailNickname?: string | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  proxyAddresses?: string[] | null;
  otherMails?: string[] | null;
  jobTitle?: string | null;
  department?: string | null;
  companyName?: string | null;
  employeeId?: string | null;
  employeeHireDate?: string | null;
  employeeType?: string | null;
  employeeOrgData?: { costCenter?: string | null; division?: string | null } | null;
  officeLocation?: string | null;
  faxNumber?: string | null;
  businessPhones?: string[] | null;
  mobilePhone?: string | null;
  streetAddress?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
  usageLocation?: string | null;
  preferredLanguage?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesSecurityIdentifier?: string | null;
  onPremisesExtensionAttributes?: GraphOnPremisesExtensionAttributes | null;
  userType?: string | null;
  manager?: GraphManagerRef | null;
  [extension: `extension_${string}`]: unknown;
  [other: string]: unknown;
}

/** A Graph directory object reference in a members list. */
export interface GraphMemberRef {
  '@odata.type': string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

/** A Graph v1.0 group, optionally carrying its direct members (the demo tenant's groups.json shape). */
export interface GraphGroup {
  id: string;
  displayName?: string | null;
  mailNickname?: string | null;
  mail?: string | null;
  description?: string | null;
  groupTypes?: string[];
  securityEnabled?: boolean;
  mailEnabled?: boolean;
  members?: GraphMemberRef[];
  [other: string]: unknown;
}

/**
 * One app role assignment of the user for the app being provisioned (Microsoft Learn "Customize user provisioning
 * attribute-mappings", "Provisioning a role to a SCIM app").
 */
export interface AppRoleAssignmentRef {
  /** appRole.id */
  readonly id: string;
  /** appRole.value: what AppRoleAssignmentsComplex sends as `value` */
  readonly value: string;
  readonly displayName: string;
}

interface GraphToSourceOptions {
  /** the user is in /directory/deletedItems (recycle bin) — IsSoftDeleted rule (b) */
  softDeleted?: boolean;
  /**
   * Only for scope "Sync only assigned users and groups": whether the user is assigned to the app directly
   * or as a direct member of an assigned group — IsSoftDeleted rule (c). Leave undefined for "Sync all".
   */
  assignedToApp?: boolean;
  /** the user passes the mapping's scoping filters (default true) — IsSoftDeleted rule (d) */
  inScopingFilter?: boolean;
  /**
   * Directory extensions the tenant declares; only these `extension_*` keys are copied. When omitted,
   * every well-formed `extension_<appId>_<name>` property present on the user is copied.
   */
  directoryExtensions?: readonly string[];
  /** the user's app role assignments for the app (joined from appRoleAssignedTo and appRoles) */
  appRoleAssignments?: readonly AppRoleAssignmentRef[];
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function strings(value: unknown): readonly string[] | null {
  if (!Array.isArray(value)) return null;
  return Object.freeze(value.filter((v): v is string => typeof v === 'string'));
}

/**
 * B2B guests: the engine strips `#EXT#` and the inviting tenant's domain, then turns the last `_` back into `@`
 * (Microsoft Learn "How Application Provisioning works", "B2B (guest) users"). The last underscore is the one Entra
 * inserted: domains cannot contain `_`, the alias can (`mary_ann_fabrikam.com` → `mary_ann@fabrikam.com`).
 */
export function guestUserPrincipalName(upn: string): string {
  const marker = upn.search(/#EXT#/i);
  if (marker < 0) return upn;
  const mangled = upn.slice(0, marker);
  const split = mangled.lastIndexOf('_');
  if (split <= 0 || split === mangled.length - 1) return mangled;
  return `${mangled.slice(0, split)}@${mangled.slice(split + 1)}`;
}

/**
 * IsSoftDeleted as the provisioning service computes it (graph-source-attributes.json
 * isSoftDeletedAlgorithm): true when any input says the user is disabled or out of scope.
 */
export function computeIsSoftDeleted(
  user: Pick<GraphUser, 'accountEnabled'>,
  options: GraphToSourceOptions = {},
): boolean {
  if (user.accountEnabled === false) return true;
  if (options.softDeleted === true) return true;
  if (options.assignedToApp === false) return true;
  if (options.inScopingFilter === false) return true;
  return false;
}

type Getter = (user: GraphUser, options: GraphToSourceOptions) => SourceValue;

/**
 * One getter per catalogue attribute, built once from the table (paths are `prop`, `prop.sub` or
 * `prop[0]`, source-schema.ts graphProperty), so converting 100,000 users does no per-user path parsing.
 */
function compileGetter(definition: SourceAttributeDefinition): Getter {
  switch (definition.sourceName) {
    case 'IsSoftDeleted':
      return (user, options) => computeIsSoftDeleted(user, options);
    case 'userPrincipalName':
      return (user) => {
        const upn = text(user.userPrincipalName);
        return upn === null ? null : guestUserPrincipalName(upn);
      };
    case 'manager':
      // The source value is the manager's objectId; the SCIM request later swaps in the target's id (MS-SCIM).
      return (user) => (user.manager && typeof user.manager.id === 'string' ? user.manager.id : null);
    case 'appRoleAssignments':
      return (_user, options) =>
        options.appRoleAssignments ? Object.freeze(options.appRoleAssignments.map((a) => a.value)) : null;
  }
  const path = definition.graphProperty;
  if (path === null) return () => null;
  const convert: (raw: unknown) => SourceValue = definition.multiValued
    ? strings
    : definition.type === 'Boolean'
      ? bool
      : text;
  const indexed = /^(\w+)\[(\d+)\]$/.exec(path);
  if (indexed) {
    const [, property, position] = indexed as unknown as [string, string, string];
    const at = Number(position);
    return (user) => {
      const list = user[property];
      return convert(Array.isArray(list) ? list[at] : undefined);
    };
  }
  const dot = path.indexOf('.');
  if (dot < 0) return (user) => convert(user[path]);
  const parentName = path.slice(0, dot);
  const child = path.slice(dot + 1);
  return (user) => {
    const parent = user[parentName];
    return convert(
      parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[child] : undefined,
    );
  };
}

const compiled: readonly (readonly [string, Getter])[] = userSourceAttributes.map(
  (d) => [d.sourceName, compileGetter(d)] as const,
);

function extensionValue(value: unknown): SourceValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  // Multi-valued directory extensions come as arrays; kept so the checker can warn that Entra cannot map
  // them (MS-KNOWN), rather than silently dropped.
  if (Array.isArray(value)) return Object.freeze(value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
  return JSON.stringify(value);
}

/**
 * Converts one Graph user to its source object. Every catalogue attribute gets a key (null when Graph has
 * no value), so a consumer can tell "no value" from "not a source attribute" by the catalogue alone.
 */
export function graphUserToSource(user: GraphUser, options: GraphToSourceOptions = {}): SourceObject {
  const source: Record<string, SourceValue> = {};
  for (const [name, get] of compiled) source[name] = get(user, options);

  const allowed = options.directoryExtensions ? new Set(options.directoryExtensions) : null;
  for (const key in user) {
    if (!key.startsWith('extension_') || !isDirectoryExtensionName(key)) continue;
    if (allowed && !allowed.has(key)) continue;
    source[key] = extensionValue(user[key]);
  }
  if (allowed) {
    // A declared extension the user has no value for is still a known source attribute: null, not absent.
    for (const name of allowed) if (!(name in source) && isDirectoryExtensionName(name)) source[name] = null;
  }
  return Object.freeze(source);
}

interface GraphGroupToSourceOptions {
  /** direct member ids; defaults to the `members` carried on the group */
  members?: readonly string[];
}

/** Converts one Graph group: objectId, displayName, mailNickname, members (direct only, MS-HOW). */
export function graphGroupToSource(group: GraphGroup, options: GraphGroupToSourceOptions = {}): SourceObject {
  const members = options.members ?? (Array.isArray(group.members) ? group.members.map((m) => m.id) : null);
  return Object.freeze({
    objectId: group.id,
    displayName: text(group.displayName),
    mailNickname: text(group.mailNickname),
    members: members ? Object.freeze([...members]) : null,
  });
}
