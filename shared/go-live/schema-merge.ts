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
  missingAttributeDefinitions,
  sameObjectMapping,
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
      let placed = false;
      for (const liveRule of merged.synchronizationRules) {
        const index = liveRule.objectMappings.findIndex((m) => sameObjectMapping(m, planned));
        if (index >= 0) {
          liveRule.objectMappings[index] = copy;
          placed = true;
          break;
        }
      }
      if (placed) continue;
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
  const differences = diffSchemas(readBack, { ...plan, [TENANT_URL_ANNOTATION]: null }).map((c: SchemaChange) => `not as planned: ${describeChange(c)}`);
  const withoutPlanned = (schema: SynchronizationSchema) => {
    const copy = structuredClone(schema);
    const planned = allObjectMappings(plan);
    for (const rule of copy.synchronizationRules) rule.objectMappings = rule.objectMappings.filter((m) => !planned.some((p) => sameObjectMapping(m, p)));
    return canonicalJson(copy);
  };
  if (withoutPlanned(readBack) !== withoutPlanned(sent)) differences.push('parts of the schema the plan does not model came back different from what was sent');
  return { verified: differences.length === 0, differences };
}
