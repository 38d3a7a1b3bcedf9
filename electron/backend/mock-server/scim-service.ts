/**
 * The SCIM protocol of the mock server, independent of HTTP: a request (method, path below the base,
 * query, parsed body) in, a response (status, body, headers, deciding rule) out. Every failure is a
 * ScimError turned into a SCIM Error body; nothing here writes to the socket.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, notFound, conflict, ScimError } from '../../../shared/scim/errors.ts';
import { parseFilter, resourceComparator, type FilterNode } from '../../../shared/scim/filter.ts';
import { applyPatch, parsePatchRequest } from '../../../shared/scim/patch.ts';
import {
  ALL_SCHEMAS,
  GROUP_RESOURCE_TYPE,
  URN,
  USER_RESOURCE_TYPE,
  resourceTypeDocument,
  schemaById,
  resolveAttribute,
  schemaDocument,
  serviceProviderConfig,
  splitAttributeToken,
  type ResourceTypeDef,
} from '../../../shared/scim/schemas.ts';
import { isPlainObject, normalizeResource, projectResource, schemasFor, type Json, type NormalizeOptions } from '../../../shared/scim/schemas-values.ts';
import { MODE_DIALECTS, type MockServerMode } from './modes.ts';
import type { MockStore } from './store.ts';
import { applySupportedAttributes, checkGroupName, checkUserRules, leniencyNote, uniqueUserPaths, valuesAtPath, type VendorBehaviour } from './vendor-behaviour.ts';

interface ScimRequest {
  method: string;
  /** path below the base path, e.g. `/Users/123` */
  path: string;
  query: URLSearchParams;
  /** parsed JSON body, undefined when there was none */
  body: unknown;
  headers: Record<string, string | undefined>;
  /** absolute base URL for Location and meta.location */
  baseUrl: string;
}

export interface ScimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** which rule decided the outcome, for the request log */
  rule?: string;
}

/** Page size when the client gives none, and the most one page may hold (advertised as filter.maxResults). */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

interface ScimServiceOptions {
  mode: MockServerMode;
  behaviour: VendorBehaviour;
}

const splitList = (raw: string | null) =>
  raw === null ? undefined : raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw badRequest('invalidValue', `"${name}" must be an integer, got "${raw}"`, 'list.paging');
  return value;
}

export class ScimService {
  private readonly dialect;
  private readonly normalizeOptions: NormalizeOptions;

  constructor(
    readonly store: MockStore,
    readonly options: ScimServiceOptions,
  ) {
    this.dialect = MODE_DIALECTS[options.mode];
    this.normalizeOptions = {
      ...this.dialect.values,
      unsupportedAttributes: options.behaviour.unsupportedAttributes,
      customExtensions: options.behaviour.customExtensions,
    };
  }

  handle(request: ScimRequest): ScimResponse {
    try {
      return this.route(request);
    } catch (error) {
      if (error instanceof ScimError) return errorResponse(error);
      throw error;
    }
  }

  private route(request: ScimRequest): ScimResponse {
    const segments = request.path.split('/').filter((s) => s.length > 0).map(safeDecode);
    const [head, id, extra] = segments;
    const method = request.method.toUpperCase();
    const endpoint = head?.toLowerCase();
    if (extra !== undefined) throw notFound(`no endpoint at ${request.path}`);

    switch (endpoint) {
      case 'serviceproviderconfig':
        this.allow(method, ['GET']);
        if (id !== undefined) throw notFound(`no endpoint at ${request.path}`);
        return ok(
          serviceProviderConfig({ filterMaxResults: MAX_PAGE_SIZE, etagSupported: true, sortSupported: true }, request.baseUrl),
        );
      case 'resourcetypes': {
        this.allow(method, ['GET']);
        const types = this.resourceTypes();
        if (id === undefined) return ok(listResponse(types.map((t) => resourceTypeDocument(t, request.baseUrl)), types.length, 1));
        const type = types.find((t) => t.id.toLowerCase() === id.toLowerCase());
        if (!type) throw notFound(`ResourceType ${id} not found`);
        return ok(resourceTypeDocument(type, request.baseUrl));
      }
      case 'schemas': {
        this.allow(method, ['GET']);
        const schemas = ALL_SCHEMAS.filter((s) => s.id !== URN.group || this.options.behaviour.groups === 'supported');
        if (id === undefined) return ok(listResponse(schemas.map((s) => schemaDocument(s, request.baseUrl)), schemas.length, 1));
        const schema = schemaById(id);
        if (!schema || !schemas.includes(schema)) throw notFound(`Schema ${id} not found`);
        return ok(schemaDocument(schema, request.baseUrl));
      }
      case 'users':
        return this.resourceEndpoint(USER_RESOURCE_TYPE, method, id, request);
      case 'groups':
        return this.groupsEndpoint(method, id, request);
      case 'bulk':
        return errorResponse(new ScimError(501, undefined, 'Bulk operations are not supported', 'scim.bulk-unsupported'));
      case 'me':
        return errorResponse(new ScimError(501, undefined, '/Me is not supported: the bearer token maps to no user', 'scim.me-unsupported'));
      case '.search':
        this.allow(method, ['POST']);
        throw notFound('server-root .search is not supported; use /Users/.search or /Groups/.search');
      default:
        throw notFound(`no endpoint at ${request.path}`);
    }
  }

  private resourceTypes(): ResourceTypeDef[] {
    return this.options.behaviour.groups === 'supported' ? [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE] : [USER_RESOURCE_TYPE];
  }

  private allow(method: string, methods: string[]): void {
    if (!methods.includes(method)) {
      throw new ScimError(405, undefined, `${method} is not allowed here; use ${methods.join(', ')}`, 'http.method');
    }
  }

  private groupsEndpoint(method: string, id: string | undefined, request: ScimRequest): ScimResponse {
    const mode = this.options.behaviour.groups;
    if (mode === 'reject') {
      throw new ScimError(404, undefined, `${this.options.behaviour.name} does not support groups`, 'vendor.groups-unsupported');
    }
    if (mode === 'ignore') return this.ignoredGroups(method, id, request);
    return this.resourceEndpoint(GROUP_RESOURCE_TYPE, method, id, request);
  }

  /** A vendor that accepts group requests and keeps nothing: lists stay empty, writes succeed. */
  private ignoredGroups(method: string, id: string | undefined, request: ScimRequest): ScimResponse {
    const rule = 'vendor.groups-ignored';
    if (id === undefined || id === '.search') {
      if (method === 'POST' && id === undefined) {
        const body = isPlainObject(request.body) ? request.body : {};
        return { status: 201, body: { ...body, schemas: [URN.group], id: randomUUID(), meta: { resourceType: 'Group' } }, rule };
      }
      return { ...ok(listResponse([], 0, 1)), rule };
    }
    if (method === 'GET') throw new ScimError(404, undefined, `Group ${id} not found`, rule);
    return { status: 204, rule };
  }

  private resourceEndpoint(type: ResourceTypeDef, method: string, id: string | undefined, request: ScimRequest): ScimResponse {
    if (id === undefined) {
      this.allow(method, ['GET', 'POST']);
      return method === 'GET' ? this.list(type, request.query, request.baseUrl) : this.create(type, request);
    }
    if (id === '.search') {
      this.allow(method, ['POST']);
      return this.search(type, request);
    }
    this.allow(method, ['GET', 'PUT', 'PATCH', 'DELETE']);
    switch (method) {
      case 'GET':
        return this.read(type, id, request);
      case 'PUT':
        return this.replace(type, id, request);
      case 'PATCH':
        return this.patch(type, id, request);
      default:
        return this.remove(type, id);
    }
  }

  // ----- reads ----------------------------------------------------------------------------------

  private parseFilterFor(type: ResourceTypeDef, text: string): FilterNode {
    const filter = parseFilter(text, this.dialect.filter);
    const allowed = this.options.behaviour.filterableUserAttributes;
    if (type.id === 'User' && allowed) {
      for (const name of filterAttributes(filter)) {
        if (!allowed.includes(name.toLowerCase())) {
          throw badRequest('invalidFilter', `${this.options.behaviour.name} cannot filter on "${name}"`, `vendor.filter-unsupported:${name}`);
        }
      }
    }
    return filter;
  }

  private list(type: ResourceTypeDef, query: URLSearchParams, baseUrl: string): ScimResponse {
    return this.runList(type, {
      filter: query.get('filter') ?? undefined,
      startIndex: intParam(query, 'startIndex'),
      count: intParam(query, 'count'),
      attributes: splitList(query.get('attributes')),
      excludedAttributes: splitList(query.get('excludedAttributes')),
      sortBy: query.get('sortBy') ?? undefined,
      sortOrder: query.get('sortOrder') ?? undefined,
      baseUrl,
    });
  }

  private search(type: ResourceTypeDef, request: ScimRequest): ScimResponse {
    const body = request.body;
    if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'a .search request needs a SearchRequest body', 'search.body');
    const num = (value: unknown, name: string) => {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest('invalidValue', `"${name}" must be an integer`, 'list.paging');
      return value;
    };
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? splitList(value) : undefined);
    if (body.filter !== undefined && typeof body.filter !== 'string') throw badRequest('invalidFilter', '"filter" must be a string', 'search.body');
    for (const key of ['sortBy', 'sortOrder'] as const) {
      if (body[key] !== undefined && typeof body[key] !== 'string') throw badRequest('invalidValue', `"${key}" must be a string`, 'search.body');
    }
    return this.runList(type, {
      filter: body.filter as string | undefined,
      startIndex: num(body.startIndex, 'startIndex'),
      count: num(body.count, 'count'),
      attributes: list(body.attributes),
      excludedAttributes: list(body.excludedAttributes),
      sortBy: body.sortBy as string | undefined,
      sortOrder: body.sortOrder as string | undefined,
      baseUrl: request.baseUrl,
    });
  }

  private runList(
    type: ResourceTypeDef,
    params: {
      filter?: string;
      startIndex?: number;
      count?: number;
      attributes?: string[];
      excludedAttributes?: string[];
      sortBy?: string;
      sortOrder?: string;
      baseUrl: string;
    },
  ): ScimResponse {
    // RFC 7644 §3.4.2.4: startIndex < 1 is 1, a negative count is 0
    // and one past any page SQLite can count to (an OFFSET must fit 64 bits) is simply past the end
    const startIndex = Math.min(Math.max(params.startIndex ?? 1, 1), Number.MAX_SAFE_INTEGER);
    const count = Math.min(Math.max(params.count ?? DEFAULT_PAGE_SIZE, 0), MAX_PAGE_SIZE);
    const filter = params.filter !== undefined && params.filter.trim() !== '' ? this.parseFilterFor(type, params.filter) : undefined;
    const withMembers = wantsMembers(params.attributes, params.excludedAttributes);
    const sort = this.sortFor(type, params.sortBy, params.sortOrder);
    const query = { startIndex, count, withMembers, ...(filter ? { filter } : {}), ...(sort ? { sort } : {}) };
    const result = type.id === 'User' ? this.store.listUsers(query) : this.store.listGroups(query);
    const resources = result.resources.map((r) => this.output(type, r, params.baseUrl, params.attributes, params.excludedAttributes));
    return ok(listResponse(resources, result.total, startIndex));
  }

  /** sortBy / sortOrder (RFC 7644 §3.4.2.3); sortOrder alone is ignored, as the RFC says. */
  private sortFor(type: ResourceTypeDef, sortBy: string | undefined, sortOrder: string | undefined) {
    if (sortBy === undefined || sortBy.trim() === '') return undefined;
    const ref = splitAttributeToken(sortBy.trim());
    if (!ref) throw badRequest('invalidValue', `"sortBy" must name an attribute, got "${sortBy}"`, 'list.sort');
    const order = (sortOrder ?? 'ascending').trim().toLowerCase();
    if (order !== 'ascending' && order !== 'descending') {
      throw badRequest('invalidValue', `"sortOrder" must be "ascending" or "descending", got "${sortOrder}"`, 'list.sort');
    }
    return resourceComparator(ref, (r) => resolveAttribute(type, r), order === 'descending');
  }

  private load(type: ResourceTypeDef, id: string, withMembers = true): Json {
    const resource = type.id === 'User' ? this.store.getUser(id) : this.store.getGroup(id, withMembers);
    if (!resource) throw notFound(`${type.name} ${id} not found`);
    return resource;
  }

  private read(type: ResourceTypeDef, id: string, request: ScimRequest): ScimResponse {
    const attributes = splitList(request.query.get('attributes'));
    const excluded = splitList(request.query.get('excludedAttributes'));
    const resource = this.load(type, id, wantsMembers(attributes, excluded));
    const version = versionOf(resource);
    if (version && request.headers['if-none-match'] === version) return { status: 304, headers: { ETag: version } };
    return this.withResource(200, type, resource, request, attributes, excluded);
  }

  // ----- writes ---------------------------------------------------------------------------------

  /** The resource to store, and the vendor rule the log names when the server dropped attributes leniently. */
  private prepare(type: ResourceTypeDef, body: unknown): { resource: Json; rule: string | null } {
    const behaviour = this.options.behaviour;
    const normalized = normalizeResource(body, type, this.normalizeOptions);
    if (type.id !== 'User') {
      this.validateGroup(normalized);
      return { resource: normalized, rule: null };
    }
    const resource = applySupportedAttributes(normalized, behaviour);
    this.validateUser(resource);
    return { resource, rule: leniencyNote(normalized, resource, behaviour) };
  }

  private validateUser(resource: Json, id?: string): void {
    if (typeof resource.userName !== 'string' || resource.userName.trim() === '') {
      throw badRequest('invalidValue', '"userName" is required', 'scim.required:userName');
    }
    const behaviour = this.options.behaviour;
    checkUserRules(resource, behaviour, USER_RESOURCE_TYPE);
    for (const path of uniqueUserPaths(behaviour)) {
      for (const value of valuesAtPath(resource, path, USER_RESOURCE_TYPE)) {
        const filter = parseFilter(`${path} eq ${JSON.stringify(String(value))}`, { entraForms: true });
        const holders = this.store.listUsers({ filter, startIndex: 1, count: 2 }).resources.filter((r) => r.id !== id);
        if (holders.length > 0) throw conflict(`another user already has ${path} "${String(value)}"`, `vendor.unique:${path}`);
      }
    }
  }

  private validateGroup(resource: Json, id?: string): void {
    if (typeof resource.displayName !== 'string' || resource.displayName.trim() === '') {
      throw badRequest('invalidValue', '"displayName" is required', 'scim.required:displayName');
    }
    checkGroupName(resource.displayName, this.options.behaviour);
    if (this.options.behaviour.uniqueGroupDisplayName) {
      const holders = this.store.groupIdsWithDisplayName(resource.displayName).filter((other) => other !== id);
      if (holders.length > 0) {
        // Entra matches groups on displayName, so it must be unique (Microsoft Learn "Develop a SCIM endpoint for user
        // provisioning", "Group operations")
        throw conflict(`a group named "${resource.displayName}" already exists`, 'scim.uniqueness:displayName');
      }
    }
  }

  private create(type: ResourceTypeDef, request: ScimRequest): ScimResponse {
    if (request.body === undefined) throw badRequest('invalidSyntax', 'POST needs a JSON body', 'body.missing');
    const { resource, rule } = this.prepare(type, request.body);
    const created = this.store.transaction(() => (type.id === 'User' ? this.store.createUser(resource) : this.store.createGroup(resource)));
    const response = this.withResource(201, type, created, request);
    response.headers = { ...response.headers, Location: `${request.baseUrl}${type.endpoint}/${String(created.id)}` };
    if (rule) response.rule = rule;
    return response;
  }

  private checkIfMatch(resource: Json, request: ScimRequest): void {
    const wanted = request.headers['if-match'];
    if (wanted !== undefined && wanted !== '*' && wanted !== versionOf(resource)) {
      throw new ScimError(412, undefined, `the resource has changed (version ${versionOf(resource) ?? 'unknown'})`, 'scim.precondition');
    }
  }

  private replace(type: ResourceTypeDef, id: string, request: ScimRequest): ScimResponse {
    if (request.body === undefined) throw badRequest('invalidSyntax', 'PUT needs a JSON body', 'body.missing');
    const existing = this.load(type, id);
    this.checkIfMatch(existing, request);
    const { resource, rule } = this.prepare(type, request.body);
    const response = this.store.transaction(() => this.save(type, id, resource, request, 200));
    return rule && !response.rule ? { ...response, rule } : response;
  }

  private patch(type: ResourceTypeDef, id: string, request: ScimRequest): ScimResponse {
    if (request.body === undefined) throw badRequest('invalidSyntax', 'PATCH needs a PatchOp body', 'body.missing');
    return this.store.transaction(() => {
      const existing = this.load(type, id);
      this.checkIfMatch(existing, request);
      const operations = parsePatchRequest(request.body, this.dialect.patch);
      let patched = applyPatch(existing, operations, { type, dialect: this.dialect.patch, values: this.normalizeOptions });
      delete patched.id;
      delete patched.meta;
      let lenient: string | null = null;
      if (type.id === 'User') {
        const before = patched;
        patched = applySupportedAttributes(patched, this.options.behaviour);
        lenient = leniencyNote(before, patched, this.options.behaviour);
      }
      const unchanged = { ...existing };
      delete unchanged.id;
      delete unchanged.meta;
      if (JSON.stringify(patched) === JSON.stringify(unchanged) && !request.query.has('attributes')) {
        // nothing changed: no write, no new version (Entra re-sends values it already sent)
        return { status: 204, rule: 'patch.no-change' };
      }
      const saved = this.save(type, id, patched, request, 200);
      const response = lenient && !saved.rule ? { ...saved, rule: lenient } : saved;
      // Entra recommends 204 for PATCH; Microsoft's Postman suite requires it. A body only on request.
      if (response.status === 200 && !request.query.has('attributes') && !request.query.has('excludedAttributes')) {
        return { status: 204, ...(response.headers ? { headers: response.headers } : {}), ...(response.rule ? { rule: response.rule } : {}) };
      }
      return response;
    });
  }

  private save(type: ResourceTypeDef, id: string, resource: Json, request: ScimRequest, status: number): ScimResponse {
    if (type.id === 'Group') {
      this.validateGroup(resource, id);
      return this.withResource(status, type, this.store.replaceGroup(id, resource), request);
    }
    this.validateUser(resource, id);
    if (resource.active === false && this.options.behaviour.deactivation === 'delete') {
      // vendors without soft delete remove the user when Entra disables it (Microsoft Learn "How Application
      // Provisioning works", "Deprovisioning")
      this.store.deleteUser(id);
      return { status: 204, rule: 'vendor.deactivation-deletes' };
    }
    return this.withResource(status, type, this.store.replaceUser(id, resource), request);
  }

  private remove(type: ResourceTypeDef, id: string): ScimResponse {
    const removed = type.id === 'User' ? this.store.deleteUser(id) : this.store.deleteGroup(id);
    if (!removed) throw notFound(`${type.name} ${id} not found`);
    return { status: 204 };
  }

  // ----- output ---------------------------------------------------------------------------------

  private withResource(status: number, type: ResourceTypeDef, resource: Json, request: ScimRequest, attributes?: string[], excluded?: string[]): ScimResponse {
    const attrs = attributes ?? splitList(request.query.get('attributes'));
    const excl = excluded ?? splitList(request.query.get('excludedAttributes'));
    const body = this.output(type, resource, request.baseUrl, attrs, excl);
    const version = versionOf(resource);
    return { status, body, ...(version ? { headers: { ETag: version } } : {}) };
  }

  /** Stored form → response: schemas first, meta.location filled in, then attributes/excludedAttributes. */
  private output(type: ResourceTypeDef, resource: Json, baseUrl: string, attributes?: string[], excluded?: string[]): Json {
    const { id, meta, ...rest } = resource;
    if (type.id === 'User' && this.options.behaviour.groups === 'supported' && wantsAttribute('groups', attributes, excluded)) {
      // users' read-only back-references (RFC 7643 §4.1.2), computed from the membership rows, never stored
      const groups = this.store.groupsOfUser(String(id));
      if (groups.length > 0) rest.groups = groups.map((g) => ({ ...g, $ref: `${baseUrl}/Groups/${g.value}` }));
    }
    const full: Json = {
      schemas: schemasFor(rest, type),
      id,
      ...rest,
      meta: { ...(isPlainObject(meta) ? meta : {}), location: `${baseUrl}${type.endpoint}/${String(id)}` },
    };
    return projectResource(full, type, attributes, excluded);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('invalidSyntax', `the path segment "${segment}" is not valid percent-encoding`, 'http.path');
  }
}

function versionOf(resource: Json): string | undefined {
  const meta = resource.meta;
  return isPlainObject(meta) && typeof meta.version === 'string' ? meta.version : undefined;
}

function wantsAttribute(name: string, attributes: string[] | undefined, excluded: string[] | undefined): boolean {
  const has = (list: string[] | undefined) => list?.some((a) => a.replace(/\[.*$/, '').split('.')[0]!.toLowerCase() === name) ?? false;
  if (attributes && attributes.length > 0) return has(attributes);
  return !has(excluded);
}

const wantsMembers = (attributes: string[] | undefined, excluded: string[] | undefined) => wantsAttribute('members', attributes, excluded);

function filterAttributes(filter: FilterNode): string[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return [...filterAttributes(filter.left), ...filterAttributes(filter.right)];
    case 'not':
      return filterAttributes(filter.operand);
    default:
      return [filter.path.attr];
  }
}

function listResponse(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: [URN.listResponse],
    totalResults: total,
    // Microsoft's examples include [] for zero results (Microsoft Learn "Develop a SCIM endpoint for user
    // provisioning", "Get User by query - Zero results"; RFC 7644 §3.4.2 lets it be omitted)
    Resources: resources,
    startIndex,
    itemsPerPage: resources.length,
  };
}

function ok(body: unknown): ScimResponse {
  return { status: 200, body };
}

export function errorResponse(error: ScimError): ScimResponse {
  const headers: Record<string, string> = {};
  if (error.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scim"';
  return { status: error.status, body: error.toBody(), headers, rule: error.rule };
}

