/**
 * The first cycle's forecast from a preview (the report has a preview, not a cycle plan): the users as the preview
 * decides them and the groups as previewGroups decides them against an empty target.
 */
import type { SourceObject } from '../directory/source-object.ts';
import type { MappingSet } from '../mapping/model.ts';
import { compileMappingSet } from '../preview/compile.ts';
import { previewGroups } from '../preview/groups.ts';
import { provisionedIds } from '../preview/run.ts';
import type { PreviewResult } from '../preview/types.ts';
import { forecastOfCycle, type Forecast, type VendorRateLimits } from './forecast.ts';

export function forecastOfPreview(
  set: MappingSet,
  preview: PreviewResult,
  users: readonly SourceObject[],
  groups: readonly SourceObject[],
  rateLimits: VendorRateLimits | null,
): Forecast {
  const compiled = compileMappingSet(set, { dialect: preview.dialect });
  const decided = previewGroups({ set, groups, provisionedUsers: provisionedIds(compiled, users, new Map()), dialect: preview.dialect });
  const members = new Map(groups.map((g) => [String(g.objectId ?? ''), Array.isArray(g.members) ? g.members.length : 0]));
  const groupObjects = decided.enabled ? decided.groups.map((g) => ({ ...g, members: members.get(g.id) ?? 0 })) : [];
  return forecastOfCycle(preview.users, groupObjects, set, rateLimits);
}
