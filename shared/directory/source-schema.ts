/**
 * The Entra provisioning source attribute catalogue for users and groups, and where each attribute comes from in
 * Microsoft Graph v1.0 (Microsoft Graph "user resource type"; Microsoft Learn "Customize user provisioning
 * attribute-mappings", "Editing the list of supported attributes"); test/unit/directory/source-schema.test.ts checks it
 * against a copy.
 *
 * This is the one table the expression checker, Monaco completion, the Graph reader's `$select` and
 * the Graph → source conversion all read; nothing else lists the source attributes a second time.
 */

/** Attribute types as the Entra synchronization schema names them (attributeDefinition.type). */
type SourceAttributeType = 'String' | 'Boolean' | 'DateTime' | 'Reference' | 'Integer' | 'Binary';

/**
 * How sure we are that Entra offers the attribute as an outbound provisioning source:
 * - `default`: in Entra's default source list (the synchronization object definition);
 * - `unverified`: a real Graph property, but its presence in the source list is not confirmed
 *   (no Microsoft page lists it) — the UI says a result depending on it is unverified;
 * - `tenant`: tenant-specific (directory extensions), discovered per tenant.
 */
type SourceAvailability = 'default' | 'unverified' | 'tenant';

export interface SourceAttributeDefinition {
  /**
   * the name used in expressions, e.g. `facsimileTelephoneNumber` (case-sensitive, Microsoft Learn "Reference for
   * writing expressions for attribute mappings", "Syntax overview")
   */
  readonly sourceName: string;
  readonly type: SourceAttributeType;
  readonly multiValued: boolean;
  /**
   * Where the value lives in a Graph v1.0 user: a property path (`officeLocation`,
   * `onPremisesExtensionAttributes.extensionAttribute3`, `businessPhones[0]`), or null when the value is
   * computed (IsSoftDeleted), joined from another call (appRoleAssignments), or unreadable.
   */
  readonly graphProperty: string | null;
  /** the `$select` item that makes Graph return it; null when no `$select` brings it */
  readonly select: string | null;
  /** Graph returns it without `$select` (only 11 properties are, G-LIST) */
  readonly returnedByDefault: boolean;
  readonly availability: SourceAvailability;
  readonly notes?: string;
}

function attr(
  sourceName: string,
  type: SourceAttributeType,
  graphProperty: string | null,
  select: string | null,
  extra: { multiValued?: boolean; returnedByDefault?: boolean; availability?: SourceAvailability; notes?: string } = {},
): SourceAttributeDefinition {
  return {
    sourceName,
    type,
    multiValued: extra.multiValued ?? false,
    graphProperty,
    select,
    returnedByDefault: extra.returnedByDefault ?? false,
    availability: extra.availability ?? 'default',
    ...(extra.notes !== undefined ? { notes: extra.notes } : {}),
  };
}

const EXTENSION_ATTRIBUTE_NOTE =
  'Exchange custom attributes 1-15, read from onPremisesExtensionAttributes (synced from on-premises AD or set in the cloud for cloud-only users).';

const extensionAttributes: SourceAttributeDefinition[] = Array.from({ length: 15 }, (_, index) =>
  attr(
    `extensionAttribute${index + 1}`,
    'String',
    `onPremisesExtensionAttributes.extensionAttribute${index + 1}`,
    'onPremisesExtensionAttributes',
    { notes: EXTENSION_ATTRIBUTE_NOTE },
  ),
);

/** Every fixed user source attribute, in the order of graph-source-attributes.json. */
export const userSourceAttributes: readonly SourceAttributeDefinition[] = Object.freeze([
  attr('objectId', 'String', 'id', 'id', { returnedByDefault: true, notes: 'Anchor of the Entra user object.' }),
  attr('IsSoftDeleted', 'Boolean', null, null, {
    notes:
      'Computed by the provisioning service: true when the account is disabled, soft-deleted, not assigned while scope is "assigned only", or outside a scoping filter (Microsoft Learn "How Application Provisioning works in Microsoft Entra ID", "Deprovisioning").',
  }),
  attr('accountEnabled', 'Boolean', 'accountEnabled', 'accountEnabled', { notes: 'Returned only on $select.' }),
  attr('userPrincipalName', 'String', 'userPrincipalName', 'userPrincipalName', {
    returnedByDefault: true,
    notes:
      "For B2B guests the service strips '#EXT#' and the home tenant: 'alias_theirdomain#EXT#@yourdomain' becomes 'alias@theirdomain'.",
  }),
  attr('originalUserPrincipalName', 'String', 'userPrincipalName', 'userPrincipalName', {
    notes: 'The raw UPN, including #EXT# for guests.',
  }),
  attr('mailNickname', 'String', 'mailNickname', 'mailNickname', {
    notes: 'Not unique; not every user has a useful value.',
  }),
  attr('displayName', 'String', 'displayName', 'displayName', { returnedByDefault: true }),
  attr('givenName', 'String', 'givenName', 'givenName', { returnedByDefault: true }),
  attr('surname', 'String', 'surname', 'surname', { returnedByDefault: true }),
  attr('mail', 'String', 'mail', 'mail', {
    returnedByDefault: true,
    notes: 'Often null for users without a mailbox; Coalesce([mail],[userPrincipalName]) is the documented fallback.',
  }),
  attr('proxyAddresses', 'String', 'proxyAddresses', 'proxyAddresses', {
    multiValued: true,
    notes: "Values carry 'SMTP:' (primary) or 'smtp:' prefixes.",
  }),
  attr('otherMails', 'String', 'otherMails', 'otherMails', { multiValued: true, availability: 'unverified' }),
  attr('jobTitle', 'String', 'jobTitle', 'jobTitle', { returnedByDefault: true }),
  attr('department', 'String', 'department', 'department'),
  attr('companyName', 'String', 'companyName', 'companyName'),
  attr('employeeId', 'String', 'employeeId', 'employeeId', { notes: 'Source of the stock employeeNumber mapping.' }),
  attr('employeeHireDate', 'DateTime', 'employeeHireDate', 'employeeHireDate', {
    availability: 'unverified',
    notes:
      'Graph returns ISO-8601 UTC (2023-01-15T00:00:00Z); the exact string the engine hands to expressions is unconfirmed - check with Provision on demand before choosing a FormatDateTime input format.',
  }),
  attr('employeeType', 'String', 'employeeType', 'employeeType', { availability: 'unverified' }),
  attr('employeeOrgData.costCenter', 'String', 'employeeOrgData.costCenter', 'employeeOrgData', {
    availability: 'unverified',
  }),
  attr('employeeOrgData.division', 'String', 'employeeOrgData.division', 'employeeOrgData', {
    availability: 'unverified',
  }),
  attr('physicalDeliveryOfficeName', 'String', 'officeLocation', 'officeLocation', {
    returnedByDefault: true,
    notes: 'Azure AD Graph name kept by the provisioning engine; Microsoft Graph calls it officeLocation.',
  }),
  attr('facsimileTelephoneNumber', 'String', 'faxNumber', 'faxNumber', {
    notes: 'Called faxNumber in Microsoft Graph.',
  }),
  attr('telephoneNumber', 'String', 'businessPhones[0]', 'businessPhones', {
    returnedByDefault: true,
    notes: 'Graph exposes a collection but only one number can be set; the first element is used.',
  }),
  attr('mobile', 'String', 'mobilePhone', 'mobilePhone', { returnedByDefault: true }),
  attr('streetAddress', 'String', 'streetAddress', 'streetAddress'),
  attr('city', 'String', 'city', 'city'),
  attr('state', 'String', 'state', 'state'),
  attr('postalCode', 'String', 'postalCode', 'postalCode'),
  attr('country', 'String', 'country', 'country', {
    notes: "Free text in Entra (e.g. 'US', 'United Kingdom'), not normalised.",
  }),
  attr('usageLocation', 'String', 'usageLocation', 'usageLocation', { availability: 'unverified' }),
  attr('preferredLanguage', 'String', 'preferredLanguage', 'preferredLanguage', { returnedByDefault: true }),
  attr('dirSyncEnabled', 'Boolean', 'onPremisesSyncEnabled', 'onPremisesSyncEnabled'),
  attr('onPremisesSecurityIdentifier', 'String', 'onPremisesSecurityIdentifier', 'onPremisesSecurityIdentifier'),
  attr('passwordProfile.password', 'String', null, null, {
    notes: 'Write-only: Graph never returns it, and outbound password provisioning is not supported.',
  }),
  attr('manager', 'Reference', 'manager', null, {
    notes:
      "Read with $expand=manager($select=id,...). The source value is the manager's objectId; in SCIM it becomes the target app's id of the manager, unknown offline.",
  }),
  attr('appRoleAssignments', 'String', null, null, {
    multiValued: true,
    notes:
      "Joined from the app's appRoleAssignedTo and its appRoles; only meaningful through the app-role functions (Microsoft Learn \"Customize user provisioning attribute-mappings for SaaS applications in Microsoft Entra ID\", \"Provisioning a role to a SCIM app\").",
  }),
  ...extensionAttributes,
]);

/** Group source attributes (Microsoft Graph "group resource type"). */
export const groupSourceAttributes: readonly SourceAttributeDefinition[] = Object.freeze([
  attr('objectId', 'String', 'id', 'id', { returnedByDefault: true }),
  attr('displayName', 'String', 'displayName', 'displayName', { returnedByDefault: true }),
  attr('members', 'Reference', 'members', null, {
    multiValued: true,
    notes:
      'Direct members only (GET /groups/{id}/members); nested groups are not expanded and out-of-scope members are skipped.',
  }),
  attr('mailNickname', 'String', 'mailNickname', 'mailNickname', {
    returnedByDefault: true,
    notes: 'Available on groups but not in the default group mappings.',
  }),
]);

const userAttributeByName = new Map(userSourceAttributes.map((a) => [a.sourceName, a]));

/**
 * Directory (schema) extensions: `extension_<appId without hyphens>_<name>`. The app id is 32 hex digits;
 * the name part is case-sensitive like every source name (MS-EXT).
 */
const DIRECTORY_EXTENSION_PATTERN = /^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$/;

export function isDirectoryExtensionName(name: string): boolean {
  return DIRECTORY_EXTENSION_PATTERN.test(name);
}

/**
 * The catalogue entry for a user source name, including directory extensions the tenant declares
 * (pass them from Graph's extensionProperties; their type defaults to String).
 */
export function findUserSourceAttribute(
  name: string,
  directoryExtensions: readonly DirectoryExtensionDefinition[] = [],
): SourceAttributeDefinition | undefined {
  const fixed = userAttributeByName.get(name);
  if (fixed) return fixed;
  const extension = directoryExtensions.find((e) => e.name === name);
  if (extension) return directoryExtensionAttribute(extension);
  return undefined;
}

/** A tenant directory extension as Graph's extensionProperty describes it (the fields we use). */
export interface DirectoryExtensionDefinition {
  /** full name, e.g. extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_costCenter */
  readonly name: string;
  /** Graph extensionProperty.dataType: String, Integer, Boolean, DateTime, Binary, LargeInteger */
  readonly dataType?: string;
  readonly isMultiValued?: boolean;
  readonly targetObjects?: readonly string[];
}

export function directoryExtensionAttribute(extension: DirectoryExtensionDefinition): SourceAttributeDefinition {
  const type: SourceAttributeType =
    extension.dataType === 'Boolean'
      ? 'Boolean'
      : extension.dataType === 'DateTime'
        ? 'DateTime'
        : extension.dataType === 'Integer' || extension.dataType === 'LargeInteger'
          ? 'Integer'
          : extension.dataType === 'Binary'
            ? 'Binary'
            : 'String';
  return attr(extension.name, type, extension.name, extension.name, {
    multiValued: extension.isMultiValued ?? false,
    availability: 'tenant',
    notes: extension.isMultiValued
      ? 'Multi-valued directory extensions cannot be used in attribute mappings or scoping filters (known issue).'
      : 'Directory extension: returned only when named in $select.',
  });
}

/** The `$expand` that brings each user's manager in the same page (G-MGR). */
export const MANAGER_EXPAND = 'manager($select=id,displayName,userPrincipalName,mail)';

/**
 * Every Graph `$select` item the user source attributes need, sorted, followed by the tenant's
 * directory extensions (which Graph returns only when named).
 */
export function graphUserSelect(directoryExtensionNames: readonly string[] = []): string[] {
  const fixed = new Set<string>();
  for (const a of userSourceAttributes) if (a.select) fixed.add(a.select);
  const extensions = directoryExtensionNames.filter((n) => isDirectoryExtensionName(n) && !fixed.has(n));
  return [...[...fixed].sort(), ...new Set(extensions)];
}

/** The `$select` items for groups (members are read from /groups/{id}/members). */
export const GRAPH_GROUP_SELECT: readonly string[] = Object.freeze([
  'id',
  'displayName',
  'mailNickname',
  'mail',
  'description',
  'groupTypes',
  'securityEnabled',
  'mailEnabled',
]);
