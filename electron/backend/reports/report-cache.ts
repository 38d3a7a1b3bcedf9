import { createHash } from 'node:crypto';
import type { Report } from '../../../shared/reports/index.ts';
import type { BuildReportInput } from './build.ts';

/**
 * The reports last built in a workspace, by what each was built from. The Reports screen shows a report
 * (reports.preview) and the admin then saves it, in one format or several (reports.save): at a million users a build
 * previews the whole tenant (issue 18), so Save takes the report the screen shows instead of building it again, and
 * what is saved is what was shown. A build still running is shared too (Save pressed while the screen's build runs).
 */
export class ReportCache {
  private readonly builds = new Map<string, Promise<Report>>();

  constructor(private readonly size = 2) {}

  /** The report built from `key`'s inputs: kept, or built now by `build` (a failed build is not kept). */
  report(key: string, build: () => Promise<Report>): Promise<Report> {
    const kept = this.builds.get(key);
    if (kept) {
      // most recently used last: the oldest goes first
      this.builds.delete(key);
      this.builds.set(key, kept);
      return kept;
    }
    const built = build();
    this.builds.set(key, built);
    built.catch(() => {
      if (this.builds.get(key) === built) this.builds.delete(key);
    });
    while (this.builds.size > this.size) this.builds.delete(this.builds.keys().next().value!);
    return built;
  }
}

/** What identifies a snapshot's contents: a snapshot is written once and never changed, but a later one may take its id. */
interface SnapshotStamp {
  snapshotId: number;
  fetchedAt: string;
  userCount: number;
}

/**
 * The key of a report: a digest of every input it is built from but the snapshot's users and groups, which the
 * snapshot's stamp stands for (hashing a million users would cost more than the build it saves). The mapping set, the
 * vendor profile, the last provisioning run, endpoint check and Microsoft check, the names and the options are all in
 * it, so a change to any of them builds a new report.
 */
export function reportKey(input: Omit<BuildReportInput, 'users' | 'groups'>, snapshot: SnapshotStamp): string {
  return createHash('sha256').update(JSON.stringify({ input, snapshot })).digest('hex');
}
