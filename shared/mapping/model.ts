import {
  SynchronizationSchemaSchema,
  TENANT_URL_ANNOTATION,
  type AttributeDefinition,
  type AttributeMapping,
  type ObjectMapping,
  type SynchronizationRule,
  type SynchronizationSchema,
} from './schema.ts';
import type { ScimDialect } from '../scim/requests/wire.ts';

export type { ScimDialect };

/**
 * A mapping set IS a Graph synchronization schema (docs/architecture.md, "Layers"); these helpers read it with the
 * Entra portal's vocabulary (Mapping type, Apply this mapping, Matching precedence, target object actions).
 */
export type MappingSet = SynchronizationSchema;

export type MappingType = 'Direct' | 'Constant' | 'Expression' | 'None';

type ImportResult = { ok: true; set: MappingSet } | { ok: false; issues: string[] };

/** Reads a schema as `GET …/jobs/{id}/schema` returns it (or the app's own file, which is the same JSON). */
export function importMappingSet(json: unknown): ImportResult {
  const parsed = SynchronizationSchemaSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    };
  }
  return { ok: true, set: parsed.data };
}

/** The JSON to save or PUT back: a deep copy, so later edits of the set never alias the exported document. */
export function exportMappingSet(set: MappingSet): SynchronizationSchema {
  return structuredClone(set);
}

export function mappingTypeOf(mapping: AttributeMapping): MappingType {
  const source = mapping.source;
  if (!source) return 'None';
  switch (source.type) {
    case 'Attribute':
      return 'Direct';
    case 'Constant':
      return 'Constant';
    default:
      return 'Expression';
  }
}

/**
 * The expression text a row evaluates. Graph always sends `expression`, and the app reads from it rather than
 * from the parameter tree (lead's design note); `name` is the fallback for hand-written files.
 */
export function sourceExpressionOf(mapping: AttributeMapping): string | null {
  const source = mapping.source;
  if (!source) return null;
  if (source.expression != null && source.expression !== '') return source.expression;
  if (source.name == null) return null;
  if (source.type === 'Attribute') return `[${source.name}]`;
  if (source.type === 'Constant') return quoteConstant(source.name);
  return null;
}

/**
 * Re-quotes a constant the way the expression grammar needs it (Microsoft Learn "Reference for writing expressions for
 * attribute mappings", "Syntax overview": `\` and `"` escaped).
 */
export function quoteConstant(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** "Apply this mapping": Always, or only during object creation (Graph `ObjectAddOnly`). */
export function isCreateOnly(mapping: AttributeMapping): boolean {
  return mapping.flowType === 'ObjectAddOnly';
}

export function matchingPriorityOf(mapping: AttributeMapping): number {
  return mapping.matchingPriority ?? 0;
}

export interface ObjectActions {
  create: boolean;
  update: boolean;
  delete: boolean;
}

/** Target object actions from Graph's comma list ("Add, Update, Delete"); absent means all three. */
export function objectActionsOf(objectMapping: ObjectMapping): ObjectActions {
  if (objectMapping.flowTypes == null) return { create: true, update: true, delete: true };
  const parts = new Set(
    objectMapping.flowTypes
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean),
  );
  return { create: parts.has('add'), update: parts.has('update'), delete: parts.has('delete') };
}

interface LocatedObjectMapping {
  rule: SynchronizationRule;
  objectMapping: ObjectMapping;
}

/**
 * Finds the mapping for a source object type. Object mappings are located by source object name, not by display name
 * (Microsoft Graph "objectMapping resource type": sourceObjectName); an enabled mapping wins over a disabled one.
 */
export function findObjectMapping(set: MappingSet, sourceObjectName: string): LocatedObjectMapping | undefined {
  let disabled: LocatedObjectMapping | undefined;
  const wanted = sourceObjectName.toLowerCase();
  for (const rule of set.synchronizationRules) {
    for (const objectMapping of rule.objectMappings) {
      if (objectMapping.sourceObjectName.toLowerCase() !== wanted) continue;
      if (objectMapping.enabled === false) disabled ??= { rule, objectMapping };
      else return { rule, objectMapping };
    }
  }
  return disabled;
}

/**
 * The target attribute list ("Edit attribute list for customappsso") of an object type: the attributes of the
 * rule's target directory. Returns an empty list when the schema carries no directories.
 */
export function targetAttributeList(set: MappingSet, located: LocatedObjectMapping): AttributeDefinition[] {
  const directoryName = located.rule.targetDirectoryName;
  const directory = set.directories?.find((d) => d.name === directoryName);
  const object = directory?.objects?.find(
    (o) => o.name.toLowerCase() === located.objectMapping.targetObjectName.toLowerCase(),
  );
  return object?.attributes ?? [];
}

/** Attribute definitions by lower-cased name: target attribute names are case-insensitive in SCIM (RFC 7643 §2.1). */
export function indexAttributeDefinitions(definitions: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  const index = new Map<string, AttributeDefinition>();
  for (const definition of definitions) index.set(definition.name.toLowerCase(), definition);
  return index;
}

export function tenantUrlOf(set: MappingSet): string | null {
  const value = set[TENANT_URL_ANNOTATION];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function withTenantUrl(set: MappingSet, tenantUrl: string | null): MappingSet {
  const copy: MappingSet = { ...set };
  if (tenantUrl == null) delete copy[TENANT_URL_ANNOTATION];
  else copy[TENANT_URL_ANNOTATION] = tenantUrl;
  return copy;
}

/**
 * The PATCH dialect a tenant URL selects: the `aadOptscim062020` feature flag appended to the tenant URL switches Entra
 * to its RFC-closer PATCH shapes (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance").
 * Anything else is the default dialect.
 */
export function dialectOfTenantUrl(tenantUrl: string | null | undefined): ScimDialect {
  if (!tenantUrl) return 'default';
  const query = tenantUrl.includes('?') ? tenantUrl.slice(tenantUrl.indexOf('?') + 1) : '';
  const flags = query.split('&').map((part) => decodeURIComponent(part.split('=')[0] ?? '').toLowerCase());
  return flags.includes('aadoptscim062020') ? 'aadOptscim062020' : 'default';
}

/** The SCIM base Entra appends `/Users` and `/Groups` to: the tenant URL without its query (feature flags). */
export function scimBaseOf(tenantUrl: string | null | undefined): string {
  if (!tenantUrl) return '';
  const withoutQuery = tenantUrl.split('?')[0] ?? '';
  return withoutQuery.replace(/\/+$/, '');
}
