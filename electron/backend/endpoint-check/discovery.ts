/**
 * Reads a SCIM service's discovery endpoints (RFC 7644 §4: /ServiceProviderConfig, /ResourceTypes, /Schemas) and
 * drafts a vendor profile from them in the format of docs/vendor-profiles.md. Entra itself never reads these
 * endpoints; they are what the vendor says about itself, so every rule cites the URL and the day it was read.
 */
import { loadBuiltInProfile, parseVendorProfile, type VendorProfile } from '../../../shared/vendors/index.ts';
import { ENTERPRISE_USER_SCHEMA } from '../../../shared/scim/requests/user.ts';
import type { ScimClient, ScimExchange } from '../provisioning/scim-client.ts';

export const DISCOVERY_ENDPOINTS = ['ServiceProviderConfig', 'ResourceTypes', 'Schemas'] as const;
type DiscoveryEndpoint = (typeof DISCOVERY_ENDPOINTS)[number];

/** One attribute as a /Schemas document declares it (RFC 7643 §7). */
interface DiscoveredAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues: string[];
  description: string;
  subAttributes: DiscoveredAttribute[];
}

interface DiscoveredSchema {
  id: string;
  name: string;
  attributes: DiscoveredAttribute[];
}

interface DiscoveredResourceType {
  name: string;
  endpoint: string;
  schema: string;
  schemaExtensions: Array<{ schema: string; required: boolean }>;
}

export interface Discovery {
  base: string;
  /** the day of the read, YYYY-MM-DD: every drafted rule cites it */
  date: string;
  exchanges: Record<DiscoveryEndpoint, ScimExchange>;
  serviceProviderConfig: Record<string, unknown> | null;
  resourceTypes: DiscoveredResourceType[] | null;
  schemas: DiscoveredSchema[] | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A ListResponse's Resources, or a bare array (both are seen in the field). */
function resourcesOf(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (isRecord(body) && Array.isArray(body.Resources)) return body.Resources;
  return null;
}

function readAttribute(raw: unknown): DiscoveredAttribute | null {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '') return null;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);
  return {
    name: raw.name,
    type: text(raw.type, 'string'),
    multiValued: raw.multiValued === true,
    required: raw.required === true,
    caseExact: raw.caseExact === true,
    mutability: text(raw.mutability, 'readWrite'),
    returned: text(raw.returned, 'default'),
    uniqueness: text(raw.uniqueness, 'none'),
    canonicalValues: Array.isArray(raw.canonicalValues) ? raw.canonicalValues.filter((v): v is string => typeof v === 'string') : [],
    description: text(raw.description, ''),
    subAttributes: Array.isArray(raw.subAttributes) ? raw.subAttributes.map(readAttribute).filter((a): a is DiscoveredAttribute => a !== null) : [],
  };
}

function readSchemas(body: unknown): DiscoveredSchema[] | null {
  const list = resourcesOf(body);
  if (!list) return null;
  return list.filter(isRecord).flatMap((raw) => {
    if (typeof raw.id !== 'string' || !Array.isArray(raw.attributes)) return [];
    return [{ id: raw.id, name: typeof raw.name === 'string' ? raw.name : raw.id, attributes: raw.attributes.map(readAttribute).filter((a): a is DiscoveredAttribute => a !== null) }];
  });
}

function readResourceTypes(body: unknown): DiscoveredResourceType[] | null {
  const list = resourcesOf(body);
  if (!list) return null;
  return list.filter(isRecord).flatMap((raw) => {
    if (typeof raw.schema !== 'string') return [];
    const extensions = Array.isArray(raw.schemaExtensions) ? raw.schemaExtensions.filter(isRecord) : [];
    return [{
      name: typeof raw.name === 'string' ? raw.name : String(raw.id ?? ''),
      endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : '',
      schema: raw.schema,
      schemaExtensions: extensions.filter((e) => typeof e.schema === 'string').map((e) => ({ schema: String(e.schema), required: e.required === true })),
    }];
  });
}

const answered = (exchange: ScimExchange) => exchange.status === 200 && exchange.responseBody !== null && typeof exchange.responseBody === 'object';

/** GETs the three discovery endpoints; a missing one (404, error, not JSON) leaves its part null. */
export async function readDiscovery(client: ScimClient, signal?: AbortSignal, now: Date = new Date()): Promise<Discovery> {
  const exchanges = {} as Record<DiscoveryEndpoint, ScimExchange>;
  for (const endpoint of DISCOVERY_ENDPOINTS) exchanges[endpoint] = await client.send({ method: 'GET', path: `/${endpoint}` }, signal);
  const spc = exchanges.ServiceProviderConfig;
  return {
    base: client.base,
    date: now.toISOString().slice(0, 10),
    exchanges,
    serviceProviderConfig: answered(spc) && isRecord(spc.responseBody) ? spc.responseBody : null,
    resourceTypes: answered(exchanges.ResourceTypes) ? readResourceTypes(exchanges.ResourceTypes.responseBody) : null,
    schemas: answered(exchanges.Schemas) ? readSchemas(exchanges.Schemas.responseBody) : null,
  };
}

export function hasDiscovery(discovery: Discovery): boolean {
  return discovery.serviceProviderConfig !== null || discovery.resourceTypes !== null || (discovery.schemas?.length ?? 0) > 0;
}

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PROFILE_TYPES: Record<string, 'String' | 'Boolean' | 'Integer' | 'DateTime' | 'Reference' | 'Binary'> = {
  string: 'String', boolean: 'Boolean', integer: 'Integer', datetime: 'DateTime', reference: 'Reference', binary: 'Binary', decimal: 'String',
};
/**
 * Values Entra sends for typed targets, as the profile's format check reads them: a date-like string sent into a
 * Boolean target is then a finding. Entra's PATCH booleans are "True"/"False", its POST ones true/false.
 */
const TYPE_FORMATS: Record<string, { pattern: string; description: string } | 'dateTime'> = {
  boolean: { pattern: '^(?:[Tt]rue|[Ff]alse)$', description: 'a boolean (true or false)' },
  integer: { pattern: '^-?[0-9]+$', description: 'a whole number' },
  decimal: { pattern: '^-?[0-9]+(?:\\.[0-9]+)?$', description: 'a decimal number' },
  datetime: 'dateTime',
};

/** The profile's `id`: a slug of the host, so two discovered vendors do not collide. */
function profileIdOf(base: string): string {
  const host = new URL(base).hostname.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `discovered-${host || 'scim'}`.slice(0, 60).replace(/-+$/, '');
}

type Rule = VendorProfile['attributes'][number];
type Cite = Rule['cite'];

function characteristics(attribute: DiscoveredAttribute): string {
  const parts = [`type ${attribute.type}`, `mutability ${attribute.mutability}`, `uniqueness ${attribute.uniqueness}`, `returned ${attribute.returned}`];
  if (attribute.multiValued) parts.push('multi-valued');
  if (attribute.required) parts.push('required');
  return `${parts.join(', ')}${attribute.description ? `. ${attribute.description}` : ''}`;
}

/** The rule of one simple (non-complex) attribute under its Entra target name. */
function simpleRule(target: string, attribute: DiscoveredAttribute, custom: boolean, cite: Cite): Rule {
  const type = attribute.type.toLowerCase();
  return {
    target,
    type: PROFILE_TYPES[type] ?? 'String',
    required: attribute.required,
    multivalued: attribute.multiValued,
    format: attribute.multiValued ? null : (TYPE_FORMATS[type] ?? null),
    allowedValues: attribute.canonicalValues.length > 0 ? attribute.canonicalValues : null,
    caseSensitive: attribute.caseExact,
    unique: attribute.uniqueness === 'server' || attribute.uniqueness === 'global',
    filterable: null,
    custom,
    defaultRecommended: false,
    noSurroundingSpaces: false,
    note: characteristics(attribute),
    cite,
  };
}

/**
 * Entra target names for one declared attribute: `name.givenName` for a complex one, `emails[type eq "work"].value`
 * per canonical type of a multi-valued complex one (the form the Entra portal offers), the plain name otherwise.
 */
function rulesOf(prefix: string, attribute: DiscoveredAttribute, custom: boolean, cite: Cite): Rule[] {
  const name = `${prefix}${attribute.name}`;
  if (attribute.type.toLowerCase() !== 'complex') return [simpleRule(name, attribute, custom, cite)];
  const subs = attribute.subAttributes;
  if (!attribute.multiValued) return subs.map((sub) => simpleRule(`${name}.${sub.name}`, sub, custom, cite));
  const valueSub = subs.find((s) => s.name === 'value');
  const typeSub = subs.find((s) => s.name === 'type');
  const whole = simpleRule(name, { ...attribute, type: valueSub?.type ?? 'string', canonicalValues: [] }, custom, cite);
  const rules: Rule[] = [{ ...whole, format: null }];
  for (const kind of typeSub?.canonicalValues ?? []) {
    for (const sub of subs.filter((s) => s.name !== 'type' && s.name !== 'primary')) {
      rules.push(simpleRule(`${name}[type eq "${kind}"].${sub.name}`, { ...sub, required: false }, custom, cite));
    }
  }
  return rules;
}

/** The user schemas the service declares: the User resource type's schema and extensions, else every User-ish one. */
function userSchemas(discovery: Discovery): Array<{ schema: DiscoveredSchema; extension: boolean }> {
  const schemas = discovery.schemas ?? [];
  const userType = discovery.resourceTypes?.find((t) => t.name.toLowerCase() === 'user' || t.endpoint.toLowerCase() === '/users');
  const ids = userType ? [userType.schema, ...userType.schemaExtensions.map((e) => e.schema)] : schemas.map((s) => s.id).filter((id) => id === CORE_USER || /:User$/i.test(id));
  return ids.flatMap((id) => {
    const schema = schemas.find((s) => s.id.toLowerCase() === id.toLowerCase());
    return schema ? [{ schema, extension: schema.id !== CORE_USER }] : [];
  });
}

function supported(spc: Record<string, unknown> | null, key: string): boolean | null {
  const section = spc?.[key];
  return isRecord(section) && typeof section.supported === 'boolean' ? section.supported : null;
}

/** What /ServiceProviderConfig says, one note each: Entra relies on none of it, but the admin should know. */
function configNotes(spc: Record<string, unknown> | null, cite: Cite): VendorProfile['connection']['notes'] {
  if (!spc) return [];
  const yesNo = (value: boolean | null) => (value === null ? 'not stated' : value ? 'supported' : 'not supported');
  const filter = isRecord(spc.filter) ? spc.filter : {};
  const schemes = Array.isArray(spc.authenticationSchemes) ? spc.authenticationSchemes.filter(isRecord) : [];
  const notes = [
    `PATCH: ${yesNo(supported(spc, 'patch'))}${supported(spc, 'patch') === false ? ' (Entra updates users only with PATCH)' : ''}.`,
    `Filter: ${yesNo(supported(spc, 'filter'))}${typeof filter.maxResults === 'number' ? `, at most ${filter.maxResults} results` : ''}.`,
    `Bulk: ${yesNo(supported(spc, 'bulk'))}; sort: ${yesNo(supported(spc, 'sort'))}; ETag: ${yesNo(supported(spc, 'etag'))}.`,
    `Authentication schemes: ${schemes.length === 0 ? 'none declared' : schemes.map((s) => `${String(s.name ?? s.type)} (${String(s.type ?? '?')})`).join(', ')}.`,
  ];
  return notes.map((text) => ({ text, cite }));
}

/**
 * The draft profile: attributes with their characteristics, custom extension URNs, the service's support flags. Where
 * discovery cannot say (PATCH dialect, booleans, what disabling does, rate limits) the draft says "unknown" and
 * records a silence, as a hand-written profile does where the guide is silent.
 */
export function draftProfile(discovery: Discovery): VendorProfile {
  if (!hasDiscovery(discovery)) return loadBuiltInProfile('generic');
  const { base, date } = discovery;
  const sourceOf = (endpoint: DiscoveryEndpoint) => ({ title: `${endpoint} of ${base}`, url: `${base}/${endpoint}` });
  const citeOf = (endpoint: DiscoveryEndpoint): Cite => [{ ref: endpoint, section: `discovered from ${base}/${endpoint} on ${date}` }];
  const spcCite = citeOf('ServiceProviderConfig');
  const typesCite = citeOf('ResourceTypes');
  const schemasCite = citeOf('Schemas');
  const spc = discovery.serviceProviderConfig;
  const types = discovery.resourceTypes;

  const attributes: Rule[] = [];
  const seen = new Set<string>();
  if (discovery.schemas) {
    // RFC 7643 §3.1: externalId belongs to every resource but is listed in no schema.
    const externalId: DiscoveredAttribute = {
      name: 'externalId', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readWrite', returned: 'default',
      uniqueness: 'none', canonicalValues: [], description: 'Common attribute of every resource (RFC 7643 §3.1).', subAttributes: [],
    };
    attributes.push(simpleRule('externalId', externalId, false, schemasCite));
    seen.add('externalid');
  }
  for (const { schema, extension } of userSchemas(discovery)) {
    // The enterprise extension is Entra's own; any other URN is a custom extension the admin must add to the attribute list.
    const custom = extension && schema.id !== ENTERPRISE_USER_SCHEMA;
    for (const attribute of schema.attributes) {
      if (attribute.name === 'id' || attribute.name === 'meta' || attribute.name === 'schemas') continue;
      for (const rule of rulesOf(extension ? `${schema.id}:` : '', attribute, custom, schemasCite)) {
        if (seen.has(rule.target.toLowerCase())) continue;
        seen.add(rule.target.toLowerCase());
        attributes.push(rule);
      }
    }
  }
  const hasType = (name: string) => types?.some((t) => t.name.toLowerCase() === name || t.endpoint.toLowerCase() === `/${name}s`) ?? false;
  const bulk = supported(spc, 'bulk');
  const draft = {
    formatVersion: 1,
    id: profileIdOf(base),
    name: `${new URL(base).host} (discovered)`,
    product: `The SCIM service at ${base}, as its discovery endpoints described it on ${date}`,
    sources: { ServiceProviderConfig: sourceOf('ServiceProviderConfig'), ResourceTypes: sourceOf('ResourceTypes'), Schemas: sourceOf('Schemas') },
    connection: {
      tenantUrl: { label: 'Tenant URL', where: base, cite: spcCite },
      secretToken: { label: 'Secret Token', where: 'the vendor’s admin console (discovery does not say)', expires: null, cite: spcCite },
      notes: configNotes(spc, spcCite),
    },
    features: {
      users: { value: types ? hasType('user') : true, cite: typesCite },
      groups: { value: types ? (hasType('group') ? 'supported' : 'unsupported') : 'unknown', cite: typesCite },
      patchDialect: { value: 'unknown', note: 'Discovery does not say which PATCH shapes the service accepts; run the endpoint check.', cite: spcCite },
      booleans: { value: 'unknown', note: 'Discovery does not say whether "True"/"False" strings are accepted; run the endpoint check.', cite: spcCite },
      deprovision: { value: 'unknown', cite: spcCite },
      bulk: { value: bulk === null ? 'unknown' : bulk ? 'supported' : 'unsupported', cite: spcCite },
      filterableAttributes: { value: null, note: 'Discovery lists no filterable attributes; any attribute is assumed.', cite: spcCite },
    },
    attributes,
    // Entra sends every mapped target; one the service does not declare may be refused or dropped.
    unlistedTargets: discovery.schemas
      ? [{ match: '.*', kind: 'unsupported', severity: 'warning', reason: 'The service’s /Schemas does not declare this attribute, so it may refuse or drop it.', cite: schemasCite }]
      : [],
    recommendedMappings: {
      remove: [],
      add: [],
      keep: [],
      matching: null,
      groups: { mapping: hasType('group') ? 'either' : types ? 'disabled' : 'either', cite: typesCite },
    },
    groupNames: null,
    dateValues: null,
    rateLimits: { requestsPerSecond: null, note: 'Discovery does not state a rate limit.', cite: spcCite },
    syncInterval: { minutes: null, note: 'Entra’s cycle; discovery does not state one.', cite: spcCite },
    silences: [
      { topic: 'PATCH dialect and booleans', note: 'Not discoverable: the endpoint check shows what the service accepts.', cite: spcCite },
      { topic: 'Deprovisioning', note: 'Not discoverable: whether active=false disables or deletes.', cite: spcCite },
    ],
  };
  const parsed = parseVendorProfile(draft);
  if (!parsed.ok) throw new Error(`The drafted profile does not pass the profile format: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return parsed.profile;
}

/** Why there is no draft: which endpoints answered what, for the admin's message. */
export function noDiscoveryMessage(discovery: Discovery): string {
  const answers = DISCOVERY_ENDPOINTS.map((endpoint) => {
    const exchange = discovery.exchanges[endpoint];
    return `/${endpoint} ${exchange.status === null ? (exchange.errorCode ?? 'no answer') : `HTTP ${exchange.status}`}`;
  });
  return `The service at ${discovery.base} publishes no SCIM discovery endpoints (${answers.join(', ')}), so no profile can be drafted from it; the generic profile applies. Write a profile from the vendor's guide (docs/vendor-profiles.md) for vendor-specific checks.`;
}
