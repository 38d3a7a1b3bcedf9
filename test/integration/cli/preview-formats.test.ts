import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli.ts';
import type { CliIO } from '../../../electron/cli/command.ts';
import { readUsersSources } from '../../../electron/cli/input-files.ts';
import * as preview from '../../../electron/cli/preview.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { severityTotals } from '../../../shared/preview/summary.ts';
import type { Finding, PreviewResult, Severity, UserPreview } from '../../../shared/preview/types.ts';
import { demoUserCopies, writeGraphUsersFile } from '../../support/users-files.ts';
import { tempDir } from '../../support/temp.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATE = join(root, 'resources/templates/entra-scim-default.schema.json');
const DEMO_USERS = join(root, 'resources/demo-tenant/users.json');
const DEMO_GROUPS = join(root, 'resources/demo-tenant/groups.json');
const demoUsers = () => (JSON.parse(readFileSync(DEMO_USERS, 'utf8')) as { value: GraphUser[] }).value;

interface Run {
  code: number;
  out: string;
  err: string;
  /** what went through io.write, one entry per call */
  writes: string[];
}

/** Runs `scim-planner preview ARGS` in this process; `write` stands for the terminal's back-pressured output. */
async function runPreview(args: string[], write?: (text: string) => Promise<void>): Promise<Run> {
  let out = '';
  let err = '';
  const writes: string[] = [];
  const io: CliIO = {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    ...(write
      ? {
          write: (text: string) => {
            writes.push(text);
            return write(text);
          },
        }
      : {}),
    stdin: new PassThrough(),
    env: {},
  };
  const code = await main(['preview', ...args], io);
  return { code, out, err, writes };
}

type Summary = Pick<PreviewResult, 'vendor' | 'dialect' | 'findings' | 'summary'> & {
  findingGroups: Array<{ code: string; severity: Severity; attribute: string | null; count: number }>;
  groups?: { enabled: boolean; total: number; byAction: Record<string, number> };
};

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** The groups a materialised result's findings make, by code and attribute: users reached, or 1 for the mapping set. */
function groupCounts(result: PreviewResult): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (finding: Finding, users: number) => {
    const key = `${finding.code} ${finding.attribute ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + users);
  };
  const perUser = result.users.flatMap((user) => user.findings);
  for (const finding of perUser) add(finding, 1);
  for (const finding of result.findings) {
    const key = `${finding.code} ${finding.attribute ?? ''}`;
    if (!counts.has(key)) add(finding, 1);
  }
  return counts;
}

describe('scim-planner preview --format summary', () => {
  const summaryDir = tempDir();
  afterAll(() => summaryDir.cleanup());

  it('agrees with the json format on the demo tenant with HiThrive: the same summary, findings and counts', async () => {
    const args = ['--mappings', TEMPLATE, '--users', DEMO_USERS, '--vendor', 'hithrive'];
    const json = await runPreview(args);
    const summary = await runPreview([...args, '--format', 'summary']);
    const full = JSON.parse(json.out) as PreviewResult;
    const printed = JSON.parse(summary.out) as Summary;

    expect(Object.keys(printed)).toEqual(['vendor', 'dialect', 'findings', 'findingGroups', 'summary']);
    expect(printed.summary).toEqual(full.summary);
    expect(printed.findings).toEqual(full.findings);
    expect(printed.vendor).toBe('hithrive');
    expect(full.summary.errors).toBeGreaterThan(0);
    // The headline is the sum of the groups' counts, and each group reaches the users the full result shows it on.
    expect(severityTotals(printed.findingGroups)).toMatchObject({ errors: full.summary.errors, warnings: full.summary.warnings });
    expect(new Map(printed.findingGroups.map((g) => [`${g.code} ${g.attribute ?? ''}`, g.count]))).toEqual(groupCounts(full));
    expect(summary.code).toBe(1);
    expect(summary.code).toBe(json.code);
    expect(summary.err).toBe(json.err);
    expect(summary.err).toMatch(/^Exit code 1: the preview found \d+ errors/);
  });

  it('agrees with the json format when worker threads preview the users (2,500 users, HiThrive)', async () => {
    const usersFile = join(summaryDir.path, 'many.json');
    writeGraphUsersFile(usersFile, 2500);
    const args = ['--mappings', TEMPLATE, '--users', usersFile, '--vendor', 'hithrive'];
    const full = JSON.parse((await runPreview(args)).out) as PreviewResult;
    const printed = JSON.parse((await runPreview([...args, '--format', 'summary'])).out) as Summary;
    expect(printed.summary).toEqual(full.summary);
    expect(printed.summary.users).toBe(2500);
    expect(printed.findings).toEqual(full.findings);
    expect(new Map(printed.findingGroups.map((g) => [`${g.code} ${g.attribute ?? ''}`, g.count]))).toEqual(groupCounts(full));
  });

  it('with --groups adds the group counts the json format lists', async () => {
    const args = ['--mappings', TEMPLATE, '--users', DEMO_USERS, '--groups', DEMO_GROUPS];
    const full = JSON.parse((await runPreview(args)).out) as PreviewResult & { groups: { enabled: boolean; groups: unknown[]; byAction: Record<string, number> } };
    const printed = JSON.parse((await runPreview([...args, '--format', 'summary'])).out) as Summary;
    expect(printed.groups).toEqual({ enabled: full.groups.enabled, reason: null, total: full.groups.groups.length, byAction: full.groups.byAction });
    expect(printed.summary).toEqual(full.summary);
  });
});

describe('scim-planner preview --format ndjson', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it("prints one line per user equal to the json format's users, the vendor's findings and duplicates included", async () => {
    // Two users who send the same userName: the generic profile's duplicate finding (userName is unique) lands on both.
    const demo = demoUsers();
    const twin = { ...demo[1]!, id: `${demo[1]!.id.slice(0, 24)}999999999999`, manager: null };
    const usersFile = join(dir.path, 'twins.json');
    writeFileSync(usersFile, JSON.stringify({ value: [...demo, twin] }));
    const args = ['--mappings', TEMPLATE, '--users', usersFile, '--vendor', 'generic'];
    const json = await runPreview(args);
    const ndjson = await runPreview([...args, '--format', 'ndjson']);
    const users = (JSON.parse(json.out) as PreviewResult).users;

    const printed = lines(ndjson.out).map((line) => JSON.parse(line) as UserPreview);
    expect(printed).toEqual(users);
    expect(printed.map((user) => user.userPrincipalName)).toEqual(users.map((user) => user.userPrincipalName));
    const duplicated = printed.filter((user) => user.findings.some((f) => f.code === 'VENDOR_DUPLICATE_VALUE'));
    expect(duplicated.map((user) => user.id)).toEqual(expect.arrayContaining([demo[1]!.id, twin.id]));
    expect(ndjson.code).toBe(json.code);
    expect(ndjson.err).toBe(json.err);
  });

  it('with --previous prints the leavers too, where the json format has them', async () => {
    const demo = demoUsers();
    const usersFile = join(dir.path, 'two-left.json');
    writeFileSync(usersFile, JSON.stringify({ value: demo.slice(2) }));
    const args = ['--mappings', TEMPLATE, '--users', usersFile, '--previous', DEMO_USERS];
    const users = (JSON.parse((await runPreview(args)).out) as PreviewResult).users;
    const printed = lines((await runPreview([...args, '--format', 'ndjson'])).out).map((line) => JSON.parse(line) as UserPreview);
    expect(printed).toEqual(users);
    expect(printed.filter((user) => user.id === demo[0]!.id || user.id === demo[1]!.id)).toHaveLength(2);
  });

  it('writes a page of users at a time and waits for the output to take each page (2,500 users, worker threads)', async () => {
    const usersFile = join(dir.path, 'many.json');
    writeGraphUsersFile(usersFile, 2500);
    const args = ['--mappings', TEMPLATE, '--users', usersFile, '--vendor', 'hithrive'];
    const expected = (JSON.parse((await runPreview(args)).out) as PreviewResult).users;

    const held: Array<() => void> = [];
    const slowOutput = (): Promise<void> => new Promise((resolve) => held.push(resolve));
    let finished = false;
    const running = runPreview([...args, '--format', 'ndjson'], slowOutput).finally(() => (finished = true));
    let released = 0;
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (held.length === released) continue;
      // The output still holds a page: the command waits, no second page comes.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(held.length).toBe(released + 1);
      expect(finished).toBe(false);
      held[released++]!();
    }
    const run = await running;
    expect(run.out).toBe('');
    expect(run.writes).toHaveLength(3);
    expect(released).toBe(3);
    expect(run.writes.map((text) => lines(text).length)).toEqual([1000, 1000, 500]);
    expect(run.writes.flatMap(lines).map((line) => JSON.parse(line) as UserPreview)).toEqual(expected);
  });

  it('streams through a real pipe from the scim-planner command, exit code as the json format', async () => {
    const usersFile = join(dir.path, 'piped.json');
    writeGraphUsersFile(usersFile, 2100);
    const child = spawn(process.execPath, [join(root, 'bin/scim-planner.mjs'), 'preview', '--mappings', TEMPLATE, '--users', usersFile, '--format', 'ndjson'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // Listened for before reading: a child that writes its last lines while the reader sleeps below has exited and
    // closed by the time the loop ends (seen on a faster machine), and a listener added then would wait forever.
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const ids: string[] = [];
    // A slow reader: the child's writes wait for it (pipe back-pressure).
    for await (const line of createInterface({ input: child.stdout })) {
      ids.push((JSON.parse(line) as UserPreview).id);
      if (ids.length % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const code = await closed;
    expect(ids).toEqual([...demoUserCopies(2100)].map((user) => user.id));
    const json = await runPreview(['--mappings', TEMPLATE, '--users', usersFile]);
    expect(code).toBe(json.code);
    expect(stderr.trim()).toBe(json.err.trim());
  });

  it('stops writing when the reader goes away (a closed pipe), with the exit code of the json format', async () => {
    const usersFile = join(dir.path, 'closed-pipe.json');
    writeGraphUsersFile(usersFile, 2100);
    const args = ['--mappings', TEMPLATE, '--users', usersFile, '--vendor', 'hithrive'];
    const json = await runPreview(args);
    const closed = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const run = await runPreview([...args, '--format', 'ndjson'], () => Promise.reject(closed));
    expect(run.writes).toHaveLength(1);
    expect(run.code).toBe(json.code);
    expect(run.err).toBe(json.err);
  });

  it('refuses an unknown format, groups with ndjson and a missing users file, with exit code 2', async () => {
    const unknown = await runPreview(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--format', 'xml']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--format must be json, table, ndjson or summary, got "xml"');
    const groups = await runPreview(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--groups', DEMO_GROUPS, '--format', 'ndjson']);
    expect(groups.code).toBe(2);
    expect(groups.err).toContain('--format ndjson prints one line per user and no groups');
    const missing = await runPreview(['--mappings', TEMPLATE, '--users', join(dir.path, 'nowhere.json'), '--format', 'ndjson']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('there is no such file');
    expect(missing.out).toBe('');
  });

  it('reads a users file as it streams: a user listed with deletedDateTime is in the recycle bin (soft-deleted)', async () => {
    const demo = demoUsers().filter((user) => user.accountEnabled !== false);
    const usersFile = join(dir.path, 'recycle-bin.json');
    writeFileSync(usersFile, JSON.stringify({ value: [demo[0], { ...demo[1], deletedDateTime: '2026-11-30T08:00:00Z' }] }));
    const sources = await readUsersSources(usersFile);
    expect(sources.map((source) => [source.objectId, source.IsSoftDeleted])).toEqual([
      [demo[0]!.id, false],
      [demo[1]!.id, true],
    ]);
  });

  it('streams a users CSV whose manager cell names a user further down, in file order, as the json format', async () => {
    // The manager's row comes after the report's: the reader hands the report over late, at its own place in the file.
    const usersFile = join(dir.path, 'late-manager.csv');
    writeFileSync(
      usersFile,
      'userPrincipalName,displayName,givenName,surname,mail,manager\r\n' +
        'ada@contoso.com,Ada Report,Ada,Report,ada@contoso.com,max@contoso.com\r\n' +
        'bo@contoso.com,Bo Peer,Bo,Peer,bo@contoso.com,\r\n' +
        'max@contoso.com,Max Boss,Max,Boss,max@contoso.com,\r\n',
    );
    const args = ['--mappings', TEMPLATE, '--users', usersFile, '--vendor', 'generic'];
    const users = (JSON.parse((await runPreview(args)).out) as PreviewResult).users;
    const printed = lines((await runPreview([...args, '--format', 'ndjson'])).out).map((line) => JSON.parse(line) as UserPreview);
    expect(printed.map((user) => user.userPrincipalName)).toEqual(['ada@contoso.com', 'bo@contoso.com', 'max@contoso.com']);
    expect(printed).toEqual(users);
  });

  it('refuses a broken users file by line and column before printing anything, and leaves no scratch workspace', async () => {
    const usersFile = join(dir.path, 'broken.json');
    const demo = demoUsers();
    writeFileSync(usersFile, `{"value": [\n${JSON.stringify(demo[0])},\n{"id": "x", "userPrincipalName": }\n]}`);
    const scratch = tempDir();
    const before = process.env.TMPDIR;
    // The scratch workspace goes to the temp folder: point it at an empty one to see that nothing stays behind.
    process.env.TMPDIR = scratch.path;
    try {
      for (const format of ['ndjson', 'summary']) {
        const run = await runPreview(['--mappings', TEMPLATE, '--users', usersFile, '--format', format]);
        expect(run.code, format).toBe(2);
        expect(run.out, format).toBe('');
        expect(run.err, format).toMatch(/The users file ".*broken\.json" is not Graph users JSON: [^]*line 3, column 1: not valid JSON/);
      }
      const ok = await runPreview(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--format', 'summary']);
      expect(ok.code).toBe(0);
      expect(readdirSync(scratch.path)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      scratch.cleanup();
    }
  });

  it('the help names the four formats', () => {
    expect(preview.command.usage).toContain('[--format json|table|ndjson|summary]');
    expect(preview.command.usage).toMatch(/ndjson: one JSON object per user per line/);
  });
});
