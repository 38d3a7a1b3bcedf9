/**
 * The first cycle's forecast from a preview (the report has a preview, not a cycle plan): the users as the preview's
 * pass counted them (actions and requests by method, so a million-user preview is neither held nor computed again),
 * and the groups as previewGroups decides them against an empty target.
 */
import type { SourceObject } from '../directory/source-object.ts';
import type { MappingSet } from '../mapping/model.ts';
import type { GroupPreviewResult } from '../preview/groups.ts';
import type { UserAction } from '../preview/types.ts';
import { CycleForecastTally, type Forecast, type VendorRateLimits } from './forecast.ts';

export class PreviewForecast {
  private readonly tally = new CycleForecastTally();

  /** The preview's users as its pass counted them: how many of each action, and their requests by method. */
  addUsers(byAction: Readonly<Record<UserAction, number>>, requestsByMethod: Readonly<Record<string, number>>): void {
    this.tally.addUsers(byAction, requestsByMethod);
  }

  /** The forecast once every user is added, with the groups `decided` provisions (and their direct members). */
  forecast(set: MappingSet, decided: GroupPreviewResult, groups: readonly SourceObject[], rateLimits: VendorRateLimits | null): Forecast {
    if (decided.enabled) {
      const members = new Map(groups.map((g) => [String(g.objectId ?? ''), Array.isArray(g.members) ? g.members.length : 0]));
      for (const group of decided.groups) this.tally.add('Group', { ...group, members: members.get(group.id) ?? 0 });
    }
    return this.tally.forecast(set, rateLimits);
  }
}
