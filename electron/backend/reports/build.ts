/**
 * A report built from the preview the app runs (issue 18: "reports summarise, so a million-user report is built in
 * seconds and stays a sane size"): the workers preview the snapshot and keep the results, the report takes the
 * session's counts (the forecast's requests by method included), coverage and finding groups, fetches the few users it
 * shows, and has the workers read their users once more for its redaction (redact-scan.ts, PreviewSession.redactionParts).
 * The app, the CLI and the tests all build reports here.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { PreviewForecast } from '../../../shared/go-live/preview-forecast.ts';
import { previewGroups, type GroupPreviewResult } from '../../../shared/preview/groups.ts';
import type { UserPreview } from '../../../shared/preview/types.ts';
import { assembleReport, defaultSamples, type ReportInput, type ReportPreview, type ReportSamples } from '../../../shared/reports/build.ts';
import { DEFAULT_SAMPLE_COUNT, type Report } from '../../../shared/reports/model.ts';
import { Redactor } from '../../../shared/reports/redact.ts';
import { RedactionScan, stringsOf } from '../../../shared/reports/redact-scan.ts';
import { PreviewRunner } from '../preview/runner.ts';
import { SnapshotSourceReader } from '../preview/snapshot-reader.ts';
import { startUsersPreview, summaryOfRun, type UsersPreviewRun } from '../services/preview.ts';

/** A workspace snapshot the report's preview workers read, and how to find one of its users by id or UPN. */
export interface SnapshotUsers {
  workspacePath: string;
  snapshotId: number;
  userCount: number;
  /** a user by object id or userPrincipalName, case-insensitive (WorkspaceStore.getUser) */
  find(ref: string): SourceObject | undefined;
}

export interface BuildReportInput extends ReportInput {
  /** the users as objects (a small set: tests, the demo), or a snapshot read a batch at a time */
  users: readonly SourceObject[] | SnapshotUsers;
}

/** The first creates the default sample users are chosen among. */
const SAMPLE_CANDIDATES = 200;

/** The users as the report reads them, whichever form they come in. */
interface ReportUsers {
  job: SourceObject[] | Omit<SnapshotUsers, 'find'>;
  find(ref: string): SourceObject | undefined;
  /** the users of `ids` that exist, by id */
  byIds(ids: Iterable<string>): Map<string, SourceObject>;
}

const idOf = (user: SourceObject) => String(user.objectId ?? '');

function usersInMemory(users: readonly SourceObject[]): ReportUsers {
  return {
    job: [...users],
    find(ref) {
      const key = ref.toLowerCase();
      const names = (user: SourceObject) => [idOf(user), user.userPrincipalName, user.originalUserPrincipalName];
      return users.find((user) => names(user).some((name) => typeof name === 'string' && name.toLowerCase() === key));
    },
    byIds(ids) {
      const wanted = new Set(ids);
      return new Map(users.filter((user) => wanted.has(idOf(user))).map((user) => [idOf(user), user]));
    },
  };
}

function usersOfSnapshot({ find, ...snapshot }: SnapshotUsers): ReportUsers {
  const read = <T>(use: (reader: SnapshotSourceReader) => T): T => {
    const reader = new SnapshotSourceReader(snapshot.workspacePath);
    try {
      return use(reader);
    } finally {
      reader.close();
    }
  };
  return {
    job: snapshot,
    find,
    byIds: (ids) =>
      read((reader) => {
        const found = new Map<string, SourceObject>();
        for (const id of ids) {
          const user = reader.source(snapshot.snapshotId, id);
          if (user) found.set(id, user);
        }
        return found;
      }),
  };
}

/**
 * The report of a mapping set over a set of users. The preview runs on `runner` (a fresh one, closed after, by default):
 * its workers hold the users' results, and this thread holds only the report's counts and the users it shows.
 */
export async function buildReport(input: BuildReportInput, runner?: PreviewRunner): Promise<Report> {
  const users = Array.isArray(input.users) ? usersInMemory(input.users as readonly SourceObject[]) : usersOfSnapshot(input.users as SnapshotUsers);
  const ownRunner = runner ?? new PreviewRunner({ cacheSize: 0 });
  let run: UsersPreviewRun | undefined;
  try {
    run = await startUsersPreview(
      { set: input.set, users: users.job as Parameters<typeof startUsersPreview>[0]['users'], groups: [...(input.groups ?? [])], profile: input.profile, ...(input.dialect ? { dialect: input.dialect } : {}) },
      ownRunner,
    );
    const { decided, ...summary } = summarisedPreview(input, run);
    const redaction = input.options?.redaction ?? 'pseudonymise';
    const samples = await samplesOf(run, users, input.options?.sampleUsers, redaction);
    // What the report says with real values (no sample payloads: those are previewed from pseudonyms, and no forecast:
    // numbers only), so the scan knows which values to look for; the users it finds, the samples and their managers are
    // the ones the redactor knows.
    const noSamples = { ...samples, previews: new Map(), sources: new Map() };
    let scan: RedactionScan | null = null;
    if (redaction !== 'off') {
      const texts = [...stringsOf(assembleReport(input, { ...summary, forecast: null }, noSamples, new Redactor('off', [])))];
      const wanted = [...samples.sources.keys()];
      scan = new RedactionScan(texts, new Set(wanted));
      for (const part of await run.session.redactionParts(texts, wanted)) scan.addFound(part);
    }
    // The forecast from the pass's own counts (users by action, requests by method): no user is previewed again.
    const forecast = new PreviewForecast();
    forecast.addUsers(summary.byAction, run.session.stats.requests);
    const preview: ReportPreview = { ...summary, forecast: forecast.forecast(input.set, decided, input.groups ?? [], input.profile.rateLimits) };
    return assembleReport(input, preview, samples, scan ? scan.redactor(redaction) : new Redactor('off', []));
  } finally {
    await run?.close();
    if (!runner) await ownRunner.close();
  }
}

/** The session's counts, coverage and finding groups (the vendor's included), and the groups the cycle provisions. */
function summarisedPreview(input: BuildReportInput, run: UsersPreviewRun): Omit<ReportPreview, 'forecast'> & { decided: GroupPreviewResult } {
  const { session } = run;
  const { findings: mappingLevel, findingGroups: groupsOfRun, summary } = summaryOfRun(run);
  // A finding about the mapping set describes its whole group: the groups take its message, and the report its fix.
  const keyOf = (f: { code: string; attribute?: string | null | undefined }) => `${f.code}\u0000${(f.attribute ?? '').toLowerCase()}`;
  const mappingFix = new Map<string, string | null>();
  for (const finding of mappingLevel) if (!mappingFix.has(keyOf(finding))) mappingFix.set(keyOf(finding), finding.fix ?? null);
  const findingGroups = groupsOfRun.map((group) => (mappingFix.has(keyOf(group)) ? { ...group, fix: mappingFix.get(keyOf(group))! } : group));
  const exampleUpns = new Map<string, string | null>();
  for (const group of findingGroups) for (const id of group.exampleUserIds) exampleUpns.set(id, session.rowOf(id)?.userPrincipalName ?? null);
  const decided = run.groups ?? previewGroups({ set: input.set, groups: input.groups ?? [], provisionedUsers: session.provisioned, dialect: session.dialect });
  return { dialect: session.dialect, users: session.summary.users, byAction: summary.byAction, coverage: session.coverage, findingGroups, exampleUpns, decided };
}

/** The sample users asked for (by id or UPN), or a few of the first creates; their previews, sources and managers. */
async function samplesOf(run: UsersPreviewRun, users: ReportUsers, wanted: readonly string[] | undefined, redaction: string): Promise<ReportSamples> {
  const { session } = run;
  let chosen: string[];
  let missing: string[] = [];
  if (wanted && wanted.length > 0) {
    const found = wanted.map((ref) => users.find(ref));
    chosen = found.filter((user): user is SourceObject => user !== undefined).map(idOf);
    missing = wanted.filter((_, i) => found[i] === undefined);
  } else {
    const creates = session.pageRows({ action: 'create' }, 0, SAMPLE_CANDIDATES).rows.map((row) => row.id);
    chosen = defaultSamples(await session.users(creates), session.indexRows(0, DEFAULT_SAMPLE_COUNT).map((row) => row.id));
  }
  if (redaction === 'remove') return { chosen, missing, previews: new Map(), sources: new Map() };
  const previews = new Map<string, UserPreview>((await session.users(chosen)).map((user) => [user.id, user]));
  const sources = users.byIds(chosen);
  const managers = [...sources.values()].map((user) => user.manager).filter((id): id is string => typeof id === 'string' && !sources.has(id));
  for (const [id, manager] of users.byIds(managers)) sources.set(id, manager);
  return { chosen, missing, previews, sources };
}
