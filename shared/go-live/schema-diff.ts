/**
 * What applying a planned mapping set changes in a job's live synchronization schema, in the portal's words: attribute
 * mapping rows added, removed or changed (Mapping type, Source attribute, Default value if null, Match objects using
 * this attribute, Matching precedence, Apply this mapping), scoping filters, object mappings enabled or disabled, and
 * the Tenant URL's aadOptscim062020 flag. Only the object mappings the plan carries are compared: everything else in
 * the live schema is left as it is by the merge (./schema-merge.ts).
 */
import {
  dialectOfTenantUrl,
  isCreateOnly,
  mappingTypeOf,
  matchingPriorityOf,
  sourceExpressionOf,
  tenantUrlOf,
  type MappingSet,
} from '../mapping/model.ts';
import type { AttributeMapping, ObjectMapping, ScopeFilter } from '../mapping/schema.ts';
import { scopeFilterText } from '../mapping/scope.ts';

type ChangeKind = 'added' | 'removed' | 'changed';

/** One row as the portal's attribute-mapping table shows it. */
interface RowSummary {
  mappingType: string;
  /** the Source attribute column: the expression, the attribute in brackets, or the quoted constant */
  source: string | null;
  defaultValue: string | null;
  /** Match objects using this attribute */
  matching: boolean;
  matchingPrecedence: number | null;
  /** Apply this mapping: "Always" or "Only during object creation" */
  applyThisMapping: string;
}

export interface SchemaChange {
  /** the object mapping's name ("Provision Microsoft Entra ID Users"), or source → target when it has none */
  objectMapping: string;
  /** the row's target attribute; null for a change to the object mapping itself */
  targetAttribute: string | null;
  change: ChangeKind;
  /** what changed: a row, the scoping filter, the object mapping (Enabled), an attribute list entry, the Tenant URL */
  kind: 'row' | 'scope' | 'objectMapping' | 'attributeList' | 'tenantUrl';
  /** for a changed row: the portal's column names that differ */
  fields?: string[];
  before: unknown;
  after: unknown;
}

/** The portal's column names, in its order, for the fields of RowSummary. */
const ROW_COLUMNS: Record<keyof RowSummary, string> = {
  mappingType: 'Mapping type',
  source: 'Source attribute',
  defaultValue: 'Default value if null',
  matching: 'Match objects using this attribute',
  matchingPrecedence: 'Matching precedence',
  applyThisMapping: 'Apply this mapping',
};

function rowSummaryOf(row: AttributeMapping): RowSummary {
  const priority = matchingPriorityOf(row);
  return {
    mappingType: mappingTypeOf(row),
    source: sourceExpressionOf(row),
    defaultValue: row.defaultValue == null || row.defaultValue === '' ? null : row.defaultValue,
    matching: priority > 0,
    matchingPrecedence: priority > 0 ? priority : null,
    applyThisMapping: isCreateOnly(row) ? 'Only during object creation' : 'Always',
  };
}

function objectMappingLabel(mapping: ObjectMapping): string {
  return mapping.name ?? `${mapping.sourceObjectName} → ${mapping.targetObjectName}`;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The live object mapping a planned one stands for: the one mapping the same source object type to the same target
 * object type, or else the only one with the same source object type (the target's name varies by app template).
 */
export function liveCounterpart<T extends ObjectMapping>(live: readonly T[], planned: ObjectMapping): T | undefined {
  const exact = live.find((m) => sameName(m.sourceObjectName, planned.sourceObjectName) && sameName(m.targetObjectName, planned.targetObjectName));
  if (exact) return exact;
  const bySource = live.filter((m) => sameName(m.sourceObjectName, planned.sourceObjectName));
  return bySource.length === 1 ? bySource[0] : undefined;
}

export function allObjectMappings(set: MappingSet): ObjectMapping[] {
  return set.synchronizationRules.flatMap((rule) => rule.objectMappings);
}

/** JSON with sorted keys and without null/absent properties: two documents equal in meaning give the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, normalise(v)]);
  return Object.fromEntries(entries);
}

function scopeGroups(scope: ScopeFilter | null | undefined): unknown {
  const groups = scope?.groups ?? [];
  return groups.length === 0 ? null : normalise(groups);
}

/** Target attribute names are case-insensitive (RFC 7643 §2.1); a name used twice pairs by order of appearance. */
function keyedRows(rows: readonly AttributeMapping[]): Map<string, AttributeMapping> {
  const keyed = new Map<string, AttributeMapping>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const name = row.targetAttributeName.toLowerCase();
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    keyed.set(n === 0 ? name : `${name}#${n}`, row);
  }
  return keyed;
}

function rowChanges(label: string, live: ObjectMapping, planned: ObjectMapping): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const before = keyedRows(live.attributeMappings);
  const after = keyedRows(planned.attributeMappings);
  for (const [key, row] of after) {
    const old = before.get(key);
    const summary = rowSummaryOf(row);
    if (!old) {
      changes.push({ objectMapping: label, targetAttribute: row.targetAttributeName, change: 'added', kind: 'row', before: null, after: summary });
      continue;
    }
    const oldSummary = rowSummaryOf(old);
    const fields = (Object.keys(ROW_COLUMNS) as (keyof RowSummary)[])
      .filter((field) => oldSummary[field] !== summary[field])
      .map((field) => ROW_COLUMNS[field]);
    if (fields.length > 0)
      changes.push({ objectMapping: label, targetAttribute: row.targetAttributeName, change: 'changed', kind: 'row', fields, before: oldSummary, after: summary });
  }
  for (const [key, row] of before) {
    if (!after.has(key))
      changes.push({ objectMapping: label, targetAttribute: row.targetAttributeName, change: 'removed', kind: 'row', before: rowSummaryOf(row), after: null });
  }
  return changes;
}

function objectMappingChanges(live: ObjectMapping | undefined, planned: ObjectMapping): SchemaChange[] {
  const label = objectMappingLabel(planned);
  const enabled = (m: ObjectMapping) => m.enabled !== false;
  if (!live) {
    return [
      { objectMapping: label, targetAttribute: null, change: 'added', kind: 'objectMapping', before: null, after: { enabled: enabled(planned) } },
      ...rowChanges(label, { ...planned, attributeMappings: [] }, planned),
    ];
  }
  const changes: SchemaChange[] = [];
  if (enabled(live) !== enabled(planned))
    changes.push({ objectMapping: label, targetAttribute: null, change: 'changed', kind: 'objectMapping', before: { enabled: enabled(live) }, after: { enabled: enabled(planned) } });
  const liveScope = scopeGroups(live.scope);
  const plannedScope = scopeGroups(planned.scope);
  if (JSON.stringify(liveScope) !== JSON.stringify(plannedScope)) {
    const change: ChangeKind = liveScope === null ? 'added' : plannedScope === null ? 'removed' : 'changed';
    changes.push({ objectMapping: label, targetAttribute: null, change, kind: 'scope', before: liveScope, after: plannedScope });
  }
  changes.push(...rowChanges(label, live, planned));
  return changes;
}

/** Attribute list entries ("Edit attribute list") the plan defines and the live target directory lacks. */
export function missingAttributeDefinitions(live: MappingSet, plan: MappingSet): { directory: string; object: string; attribute: Record<string, unknown> }[] {
  const missing: { directory: string; object: string; attribute: Record<string, unknown> }[] = [];
  for (const directory of plan.directories ?? []) {
    const liveDirectory = live.directories?.find((d) => d.name.toLowerCase() === directory.name.toLowerCase());
    if (!liveDirectory) continue;
    for (const object of directory.objects ?? []) {
      const liveObject = liveDirectory.objects?.find((o) => o.name.toLowerCase() === object.name.toLowerCase());
      if (!liveObject) continue;
      const known = new Set((liveObject.attributes ?? []).map((a) => a.name.toLowerCase()));
      for (const attribute of object.attributes ?? []) {
        if (!known.has(attribute.name.toLowerCase())) missing.push({ directory: liveDirectory.name, object: liveObject.name, attribute });
      }
    }
  }
  return missing;
}

interface DiffOptions {
  /** the Tenant URL in use, when known (Graph keeps it in the job's secrets and never returns it) */
  liveTenantUrl?: string | null;
  /** the plan replaces the whole schema (a rollback): live object mappings it lacks are reported as removed */
  whole?: boolean;
}

/** The differences between the live schema and the plan, limited to what the plan models (unless `whole`). */
export function diffSchemas(live: MappingSet, plan: MappingSet, options: DiffOptions = {}): SchemaChange[] {
  const liveMappings = allObjectMappings(live);
  const plannedMappings = allObjectMappings(plan);
  const changes: SchemaChange[] = [];
  for (const planned of plannedMappings) {
    changes.push(...objectMappingChanges(liveCounterpart(liveMappings, planned), planned));
  }
  if (options.whole) {
    const kept = new Set(plannedMappings.map((p) => liveCounterpart(liveMappings, p)));
    for (const gone of liveMappings.filter((m) => !kept.has(m)))
      changes.push({ objectMapping: objectMappingLabel(gone), targetAttribute: null, change: 'removed', kind: 'objectMapping', before: { enabled: gone.enabled !== false }, after: null });
  }
  for (const { directory, object, attribute } of missingAttributeDefinitions(live, plan)) {
    changes.push({ objectMapping: `${directory} ${object}`, targetAttribute: attribute.name as string, change: 'added', kind: 'attributeList', before: null, after: attribute });
  }
  // Graph keeps the Tenant URL in the job's secrets, which it never returns; compare only when both are known.
  const plannedUrl = tenantUrlOf(plan);
  const currentUrl = options.liveTenantUrl ?? tenantUrlOf(live);
  if (plannedUrl && currentUrl && dialectOfTenantUrl(plannedUrl) !== dialectOfTenantUrl(currentUrl)) {
    changes.push({
      objectMapping: 'Admin Credentials',
      targetAttribute: null,
      change: 'changed',
      kind: 'tenantUrl',
      before: { aadOptscim062020: dialectOfTenantUrl(currentUrl) === 'aadOptscim062020' },
      after: { aadOptscim062020: dialectOfTenantUrl(plannedUrl) === 'aadOptscim062020' },
    });
  }
  return changes;
}

/** One line per change, in the portal's words. */
export function describeChange(change: SchemaChange): string {
  if (change.kind === 'tenantUrl') return `Tenant URL: ${changeDetail(change)}`;
  const where = change.targetAttribute ? `${change.objectMapping}: ${change.targetAttribute}` : change.objectMapping;
  return `${where}: ${changeDetail(change)}`;
}

/** What changed, without the object mapping and target attribute it happened to (the app shows those as headings). */
export function changeDetail(change: SchemaChange): string {
  const enabled = (side: unknown) => ((side as { enabled: boolean }).enabled ? 'Yes' : 'No');
  switch (change.kind) {
    case 'row':
      if (change.change === 'added') return `row added (${rowText(change.after as RowSummary)})`;
      if (change.change === 'removed') return `row removed (was ${rowText(change.before as RowSummary)})`;
      return columnChanges(change).map((c) => `${c.column} ${c.before} → ${c.after}`).join('; ');
    case 'scope':
      if (change.change === 'removed') return 'scoping filter removed';
      return `scoping filter ${change.change}: ${scopeFilterText({ groups: change.after as NonNullable<ScopeFilter['groups']> })}`;
    case 'objectMapping':
      if (change.change === 'added') return `object mapping added (Enabled: ${enabled(change.after)})`;
      if (change.change === 'removed') return 'object mapping removed';
      return `Enabled ${enabled(change.before)} → ${enabled(change.after)}`;
    case 'attributeList':
      return 'attribute list entry added';
    case 'tenantUrl':
      return `aadOptscim062020 flag ${(change.after as { aadOptscim062020: boolean }).aadOptscim062020 ? 'added' : 'removed'} (set in Admin Credentials; apply does not change it)`;
  }
}

/** A changed row's columns that differ, each with its value before and after, in the portal's words. */
export function columnChanges(change: SchemaChange): { column: string; before: string; after: string }[] {
  if (change.kind !== 'row' || change.change !== 'changed') return [];
  const before = change.before as RowSummary;
  const after = change.after as RowSummary;
  return (Object.keys(ROW_COLUMNS) as (keyof RowSummary)[])
    .filter((field) => before[field] !== after[field])
    .map((field) => ({ column: ROW_COLUMNS[field], before: show(before[field]), after: show(after[field]) }));
}

function show(value: unknown): string {
  return value === null ? '(none)' : typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value);
}

function rowText(row: RowSummary): string {
  const parts = [`${row.mappingType} ${show(row.source)}`];
  if (row.defaultValue !== null) parts.push(`default ${row.defaultValue}`);
  if (row.matching) parts.push(`matching precedence ${row.matchingPrecedence}`);
  if (row.applyThisMapping !== 'Always') parts.push(row.applyThisMapping);
  return parts.join(', ');
}
