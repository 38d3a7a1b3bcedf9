/**
 * Core SCIM schema model: RFC 7643 §4.1 User, §4.2 Group, §4.3 Enterprise User, the common attributes
 * (§3.1), and the discovery documents (§5 ServiceProviderConfig, §6 ResourceType, §7 Schema).
 * Attribute characteristics drive filter case rules, PATCH mutability and value coercion.
 */

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
type Returned = 'always' | 'never' | 'default' | 'request';
type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export type ResourceTypeName = 'User' | 'Group';

export interface ResourceTypeDef {
  id: ResourceTypeName;
  name: ResourceTypeName;
  endpoint: '/Users' | '/Groups';
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

type AttrOptions = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

function attr(name: string, type: AttributeType, description: string, options: AttrOptions = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const str = (name: string, description: string, options?: AttrOptions) => attr(name, 'string', description, options);

/** The shape shared by emails, phoneNumbers, ims, photos, entitlements, roles, x509Certificates (RFC 7643 §2.4). */
function multiValuedComplex(
  name: string,
  description: string,
  valueType: AttributeType,
  types: string[] | undefined,
  extra: AttributeDef[] = [],
): AttributeDef {
  const subAttributes = [
    attr('value', valueType, `The ${name} value.`),
    str('display', 'A human-readable name, primarily used for display purposes.'),
    str('type', `A label indicating the attribute's function.`, types ? { canonicalValues: types } : {}),
    attr('primary', 'boolean', 'Indicates the primary or preferred value; at most one element may be primary.'),
    ...extra,
  ];
  return attr(name, 'complex', description, { multiValued: true, subAttributes });
}

/** RFC 7643 §3.1: id, externalId and meta belong to every resource but are listed in no schema. */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  str('id', 'Unique identifier for the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  str('externalId', 'Identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      str('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', 'When the resource was added to the service provider.', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'When the resource was last modified.', { mutability: 'readOnly' }),
      attr('location', 'reference', 'The URI of the resource.', { caseExact: true, mutability: 'readOnly' }),
      str('version', 'The version (ETag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

export const USER_SCHEMA: SchemaDef = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', 'Unique identifier for the User, used to authenticate; compared case-insensitively.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', 'complex', "The components of the user's real name.", {
      subAttributes: [
        str('formatted', 'The full name, formatted for display.'),
        str('familyName', 'The family name (last name).'),
        str('givenName', 'The given name (first name).'),
        str('middleName', 'The middle name(s).'),
        str('honorificPrefix', 'The honorific prefix(es), e.g. "Ms.".'),
        str('honorificSuffix', 'The honorific suffix(es), e.g. "III".'),
      ],
    }),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user.'),
    attr('profileUrl', 'reference', "A URI to the user's online profile.", { referenceTypes: ['external'] }),
    str('title', "The user's title, such as \"Vice President\"."),
    str('userType', 'The relationship between the organization and the user.'),
    str('preferredLanguage', "The user's preferred written or spoken language (RFC 7231 Accept-Language)."),
    str('locale', "The user's default location for localizing values (e.g. en-US)."),
    str('timezone', "The user's time zone in IANA format (e.g. America/Los_Angeles)."),
    attr('active', 'boolean', "The user's administrative status."),
    str('password', "The user's cleartext password; never returned.", { mutability: 'writeOnly', returned: 'never' }),
    multiValuedComplex('emails', 'Email addresses for the user.', 'string', ['work', 'home', 'other']),
    multiValuedComplex('phoneNumbers', 'Phone numbers for the user.', 'string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedComplex('ims', 'Instant messaging addresses for the user.', 'string', undefined),
    multiValuedComplex('photos', 'URLs of photos of the user.', 'reference', ['photo', 'thumbnail']),
    attr('addresses', 'complex', 'Physical mailing addresses for this user.', {
      multiValued: true,
      subAttributes: [
        str('formatted', 'The full mailing address, formatted for display.'),
        str('streetAddress', 'The full street address component.'),
        str('locality', 'The city or locality component.'),
        str('region', 'The state or region component.'),
        str('postalCode', 'The zip code or postal code component.'),
        str('country', 'The country name component (ISO 3166-1 alpha-2).'),
        str('type', 'A label indicating the attribute\'s function.', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean', 'Indicates the primary address; at most one may be primary.'),
      ],
    }),
    attr('groups', 'complex', 'Groups the user belongs to, direct or indirect; read-only.', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        str('value', 'The identifier of the group.', { mutability: 'readOnly' }),
        attr('$ref', 'reference', 'The URI of the group.', { mutability: 'readOnly', referenceTypes: ['Group'] }),
        str('display', 'The display name of the group.', { mutability: 'readOnly' }),
        str('type', 'direct or indirect.', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
    }),
    multiValuedComplex('entitlements', 'A list of entitlements for the user.', 'string', undefined),
    multiValuedComplex('roles', 'A list of roles for the user.', 'string', undefined),
    multiValuedComplex('x509Certificates', 'A list of certificates issued to the user.', 'binary', undefined),
  ],
};

const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'A string identifier, typically numeric or alphanumeric, assigned to a person.'),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    attr('manager', 'complex', "The user's manager.", {
      subAttributes: [
        str('value', 'The id of the SCIM resource representing the manager.', { caseExact: true }),
        attr('$ref', 'reference', 'The URI of the manager resource.', { referenceTypes: ['User'] }),
        str('displayName', 'The display name of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

const GROUP_SCHEMA: SchemaDef = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', 'A human-readable name for the Group.', { required: true }),
    attr('members', 'complex', 'A list of members of the Group.', {
      multiValued: true,
      subAttributes: [
        str('value', 'Identifier of the member of this Group.', { caseExact: true, mutability: 'immutable' }),
        attr('$ref', 'reference', 'The URI of the member resource.', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        str('display', 'A human-readable name for the member.', { mutability: 'readOnly' }),
        str('type', 'The type of member: User or Group.', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
      ],
    }),
  ],
};

export const USER_RESOURCE_TYPE: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: URN.user,
  schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
};

export const GROUP_RESOURCE_TYPE: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: URN.group,
  schemaExtensions: [],
};

const SCHEMAS_BY_ID = new Map<string, SchemaDef>(
  [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA].map((s) => [s.id.toLowerCase(), s]),
);

export function schemaById(id: string): SchemaDef | undefined {
  return SCHEMAS_BY_ID.get(id.toLowerCase());
}

/** Is `name` (any case) one of the extension URNs of this resource type? Returns the canonical URN. */
export function extensionUrn(type: ResourceTypeDef, name: string): string | undefined {
  const lower = name.toLowerCase();
  return type.schemaExtensions.find((e) => e.schema.toLowerCase() === lower)?.schema;
}

const attributesByName = new WeakMap<readonly AttributeDef[], Map<string, AttributeDef>>();

/** The attribute of `list` called `name`, ignoring case (RFC 7643 §2.1); one map lookup, as PATCHes ask per operation. */
export function findAttributeIn(list: readonly AttributeDef[] | undefined, name: string): AttributeDef | undefined {
  if (!list) return undefined;
  let byName = attributesByName.get(list);
  if (!byName) {
    byName = new Map();
    for (const def of list) if (!byName.has(def.name.toLowerCase())) byName.set(def.name.toLowerCase(), def);
    attributesByName.set(list, byName);
  }
  return byName.get(name.toLowerCase());
}

/** A reference to an attribute as written in a filter or PATCH path. */
export interface AttrRef {
  /** schema URN prefix as written (`urn:…:User:employeeNumber`), undefined when unqualified */
  schema?: string;
  attr: string;
  sub?: string;
}

export interface ResolvedAttribute {
  /** canonical schema URN the attribute lives in (core attributes: the core URN) */
  schema: string;
  /** true when the attribute is a top-level key (core and common attributes); false for extension members */
  topLevel: boolean;
  def: AttributeDef;
  subDef?: AttributeDef;
}

/**
 * Resolves an attribute reference against a resource type, case-insensitively (RFC 7643 §2.1). Unqualified names are
 * looked up in the common attributes, then the core schema, then each extension (so the legacy `manager eq "…"` filter
 * finds the enterprise manager, Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User
 * [Single-valued properties]").
 */
export function resolveAttribute(type: ResourceTypeDef, ref: AttrRef): ResolvedAttribute | undefined {
  const candidates: { schema: SchemaDef | undefined; urn: string; topLevel: boolean; list: readonly AttributeDef[] }[] = [];
  const core = schemaById(type.schema);
  if (ref.schema === undefined || ref.schema.toLowerCase() === type.schema.toLowerCase()) {
    candidates.push({ schema: undefined, urn: type.schema, topLevel: true, list: COMMON_ATTRIBUTES });
    if (core) candidates.push({ schema: core, urn: core.id, topLevel: true, list: core.attributes });
  }
  for (const ext of type.schemaExtensions) {
    if (ref.schema !== undefined && ref.schema.toLowerCase() !== ext.schema.toLowerCase()) continue;
    const schema = schemaById(ext.schema);
    if (schema) candidates.push({ schema, urn: schema.id, topLevel: false, list: schema.attributes });
  }
  for (const candidate of candidates) {
    const def = findAttributeIn(candidate.list, ref.attr);
    if (!def) continue;
    if (ref.sub === undefined) return { schema: candidate.urn, topLevel: candidate.topLevel, def };
    const subDef = findAttributeIn(def.subAttributes, ref.sub);
    if (!subDef) return undefined;
    return { schema: candidate.urn, topLevel: candidate.topLevel, def, subDef };
  }
  return undefined;
}

/**
 * Splits an attribute token such as `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
 * into schema, attribute and sub-attribute. The schema is everything before the last colon (RFC 7644
 * §3.10); the attribute part may carry one `.sub`.
 */
export function splitAttributeToken(token: string): AttrRef | undefined {
  let schema: string | undefined;
  let rest = token;
  if (/^urn:/i.test(token)) {
    const colon = token.lastIndexOf(':');
    schema = token.slice(0, colon);
    rest = token.slice(colon + 1);
  }
  const parts = rest.split('.');
  if (parts.length > 2) return undefined;
  const [attrName, sub] = parts;
  const namePattern = /^[A-Za-z$][\w$-]*$/;
  if (!attrName || !namePattern.test(attrName)) return undefined;
  if (sub !== undefined && !namePattern.test(sub)) return undefined;
  const ref: AttrRef = { attr: attrName };
  if (schema !== undefined) ref.schema = schema;
  if (sub !== undefined) ref.sub = sub;
  return ref;
}

// ---------------------------------------------------------------------------------------------
// Discovery documents (RFC 7643 §5–7, RFC 7644 §4)

interface ServiceProviderConfigOptions {
  documentationUri?: string;
  filterMaxResults: number;
  bulkSupported?: boolean;
  sortSupported?: boolean;
  etagSupported?: boolean;
}

export function serviceProviderConfig(options: ServiceProviderConfigOptions, baseUrl: string) {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: options.documentationUri ?? 'https://www.rfc-editor.org/rfc/rfc7644',
    patch: { supported: true },
    bulk: { supported: options.bulkSupported ?? false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.filterMaxResults },
    changePassword: { supported: false },
    sort: { supported: options.sortSupported ?? false },
    etag: { supported: options.etagSupported ?? false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with the Secret Token as a bearer token',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypeDocument(type: ResourceTypeDef, baseUrl: string) {
  return {
    schemas: [URN.resourceType],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema,
    schemaExtensions: type.schemaExtensions,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
  };
}

/**
 * RFC 7643 §7: characteristics in camelCase, absent values omitted (Microsoft Learn "Develop a SCIM endpoint for user
 * provisioning", "Discover schema").
 */
function attributeDocument(a: AttributeDef): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
  };
  if (a.canonicalValues) doc.canonicalValues = a.canonicalValues;
  if (a.referenceTypes) doc.referenceTypes = a.referenceTypes;
  if (a.subAttributes) doc.subAttributes = a.subAttributes.map(attributeDocument);
  return doc;
}

export function schemaDocument(schema: SchemaDef, baseUrl: string) {
  return {
    schemas: [URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export const ALL_SCHEMAS: readonly SchemaDef[] = [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA];
