/**
 * The schema to PUT: Graph's "Update synchronizationSchema" fully replaces the job's schema (Microsoft Graph "Update
 * synchronizationSchema"), so the body is the live schema with the plan's object mappings put in place of their live
 * counterparts, whole (a row the plan removed is removed), and every part the plan does not model sent back as it came.
 */
import { TENANT_URL_ANNOTATION, type SynchronizationSchema } from '../mapping/schema.ts';
import type { MappingSet } from '../mapping/model.ts';
import {
  allObjectMappings,
  canonicalJson,
  describeChange,
  diffSchemas,
  liveCounterpart,
  missingAttributeDefinitions,
  type SchemaChange,
} from './schema-diff.ts';

/** A plan rule finds its live rule by id, then by source and target directory; else the first live rule. */
function liveRuleFor(live: SynchronizationSchema, rule: SynchronizationSchema['synchronizationRules'][number]) {
  const rules = live.synchronizationRules;
  return (
    (rule.id ? rules.find((r) => r.id === rule.id) : undefined) ??
    rules.find((r) => r.sourceDirectoryName === rule.sourceDirectoryName && r.targetDirectoryName === rule.targetDirectoryName) ??
    rules[0]
  );
}

export function mergeForPut(live: MappingSet, plan: MappingSet): SynchronizationSchema {
  const merged = structuredClone(live);
  for (const rule of plan.synchronizationRules) {
    for (const planned of rule.objectMappings) {
      const copy = structuredClone(planned);
      const counterpart = liveCounterpart(allObjectMappings(merged), planned);
      const home = counterpart && merged.synchronizationRules.find((r) => r.objectMappings.includes(counterpart));
      if (home) {
        home.objectMappings[home.objectMappings.indexOf(counterpart!)] = copy;
        continue;
      }
      const target = liveRuleFor(merged, rule);
      if (target) target.objectMappings.push(copy);
      else merged.synchronizationRules.push({ ...structuredClone(rule), objectMappings: [copy] });
    }
  }
  // Rows that map a custom target attribute need its attribute list entry ("Edit attribute list").
  for (const { directory, object, attribute } of missingAttributeDefinitions(live, plan)) {
    const liveObject = merged.directories?.find((d) => d.name === directory)?.objects?.find((o) => o.name === object);
    if (liveObject) (liveObject.attributes ??= []).push(structuredClone(attribute) as (typeof liveObject.attributes)[number]);
  }
  // The Tenant URL lives in the job's secrets, not the schema: the app's file annotation is never sent to Graph.
  delete merged[TENANT_URL_ANNOTATION];
  return merged;
}

export interface ReadBackCheck {
  verified: boolean;
  /** what the read-back schema lacks or has differently from what was sent, in the portal's words */
  differences: string[];
}

/**
 * Whether the schema read back after the PUT is what was planned: the plan's object mappings compare equal, and the
 * rest equals what was sent, in meaning (JSON with keys sorted and nulls dropped).
 */
export function verifyReadBack(readBack: MappingSet, sent: SynchronizationSchema, plan: MappingSet): ReadBackCheck {
  const differences = diffSchemas(readBack, plan).map((c: SchemaChange) => `not as planned: ${describeChange(c)}`);
  // Graph stamps a new `version` on every save, and @odata annotations describe the answer, not the schema.
  const withoutPlanned = (schema: SynchronizationSchema) => {
    const copy = structuredClone(schema);
    const planned = new Set(allObjectMappings(plan).map((p) => liveCounterpart(allObjectMappings(copy), p)));
    for (const rule of copy.synchronizationRules) rule.objectMappings = rule.objectMappings.filter((m) => !planned.has(m));
    for (const key of Object.keys(copy)) if (key === 'version' || key.startsWith('@odata.')) delete copy[key];
    return canonicalJson(copy);
  };
  if (withoutPlanned(readBack) !== withoutPlanned(sent)) differences.push('parts of the schema the plan does not model came back different from what was sent');
  return { verified: differences.length === 0, differences };
}
