import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../electron/cli/command.ts';
import { command as fetchCommand } from '../../../electron/cli/fetch.ts';
import { command as importCommand } from '../../../electron/cli/import.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { importGraphUsersJson } from '../../../shared/directory/graph-json-import.ts';
import { exportUsersCsv } from '../../../shared/directory/csv-import.ts';
import { DEMO_SYNC_JOB_ID, demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';

const temp = mkdtempSync(join(tmpdir(), 'directory-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {} };
  return { io, out, err };
}

function snapshotsOf(workspace: string) {
  const store = new WorkspaceStore(workspace);
  try {
    const project = store.listProjects()[0]!;
    return store.listSnapshots(project.id);
  } finally {
    store.close();
  }
}

describe('scim-planner fetch', () => {
  const data = demoGraphData();
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(data);
  });
  afterAll(() => graph.close());

  it('writes Graph users JSON with --out and stores a graph snapshot with every user', async () => {
    const workspace = join(temp, 'fetch.scimplan');
    const out = join(temp, 'users.json');
    const { io, out: stdout } = fakeIO();
    const code = await fetchCommand.run(
      ['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--out', out, '--workspace', workspace],
      io,
    );
    expect(code).toBe(0);
    expect(stdout.join()).toMatch(new RegExp(`Fetched ${data.users.length} users and ${data.groups!.length} groups`));
    const written = importGraphUsersJson(readFileSync(out, 'utf8'));
    expect(written.map((u) => u.id)).toEqual(data.users.map((u) => u.id));
    expect(JSON.parse(readFileSync(out, 'utf8'))['@odata.context']).toContain(
      'manager(id,displayName,userPrincipalName,mail)',
    );
    const graphSnapshot = snapshotsOf(workspace).find((s) => s.origin === 'graph')!;
    expect(graphSnapshot).toMatchObject({ userCount: data.users.length, groupCount: data.groups!.length });
  });

  it('stores only the assigned users with --assigned-to, marking their app roles', async () => {
    const workspace = join(temp, 'assigned.scimplan');
    const appId = (data.servicePrincipals![0] as { appId: string }).appId;
    const { io } = fakeIO();
    expect(
      await fetchCommand.run(
        [
          '--access-token',
          graph.accessToken,
          '--graph-base-url',
          graph.baseUrl,
          '--assigned-to',
          appId,
          '--workspace',
          workspace,
        ],
        io,
      ),
    ).toBe(0);
    const snapshot = snapshotsOf(workspace).find((s) => s.origin === 'graph')!;
    expect(snapshot.userCount).toBeLessThan(data.users.length);
    const store = new WorkspaceStore(workspace);
    try {
      const sources = [...store.iterateUsers(snapshot.id)].map((u) => u.source);
      expect(
        sources.some(
          (s) => Array.isArray(s.appRoleAssignments) && (s.appRoleAssignments as string[]).includes('Admin'),
        ),
      ).toBe(true);
      expect(sources.filter((s) => s.IsSoftDeleted === false).length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it("saves the app's synchronization schema as a mapping revision with --import-mappings", async () => {
    const workspace = join(temp, 'mappings.scimplan');
    const appId = (data.servicePrincipals![0] as { appId: string }).appId;
    const { io, out } = fakeIO();
    const args = [
      '--access-token',
      graph.accessToken,
      '--graph-base-url',
      graph.baseUrl,
      '--assigned-to',
      appId,
      '--import-mappings',
      '--workspace',
      workspace,
    ];
    expect(await fetchCommand.run(args, io)).toBe(0);
    expect(out.join('\n')).toMatch(/mapping revision 1/);
    const store = new WorkspaceStore(workspace);
    try {
      const project = store.listProjects()[0]!;
      const [revision] = store.listMappingRevisions(project.id);
      expect(JSON.parse(revision!.schemaJson)).toEqual(data.synchronizationSchemas![DEMO_SYNC_JOB_ID]);
      expect(revision!.label).toContain('Contoso SCIM Demo');
    } finally {
      store.close();
    }
  });

  it('exits 2 with a "sign in again" message when Graph refuses the token, storing nothing', async () => {
    const workspace = join(temp, 'refused.scimplan');
    const out = join(temp, 'refused.json');
    const { io, err } = fakeIO();
    const code = await fetchCommand.run(
      ['--access-token', 'stale', '--graph-base-url', graph.baseUrl, '--out', out, '--workspace', workspace],
      io,
    );
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/Sign in again/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(workspace)).toBe(false);
  });

  it('refuses an http Graph URL that is not loopback as a usage error', async () => {
    const { io } = fakeIO();
    await expect(
      fetchCommand.run(['--access-token', 't', '--graph-base-url', 'http://graph.example.com/'], io),
    ).rejects.toThrow(/must use https/);
  });

  it('asks for a sign-in method when neither a token nor a tenant and client id is given', async () => {
    const { io } = fakeIO();
    await expect(fetchCommand.run(['--graph-base-url', graph.baseUrl], io)).rejects.toThrow(/--tenant and --client-id/);
  });
});

describe('scim-planner fetch interrupted', () => {
  it('Ctrl+C in the middle of paging stores no snapshot and writes no file', async () => {
    const graph = await startFakeGraph(demoGraphData(5000), { latencyMs: 40 });
    const workspace = join(temp, 'cancelled.scimplan');
    const out = join(temp, 'cancelled.json');
    try {
      const { io, err } = fakeIO();
      const running = fetchCommand.run(
        [
          '--access-token',
          graph.accessToken,
          '--graph-base-url',
          graph.baseUrl,
          '--out',
          out,
          '--workspace',
          workspace,
        ],
        io,
      );
      // Emitting the event runs the command's SIGINT listener without signalling the test process.
      const poll = setInterval(() => {
        if (graph.requests.some((r) => r.url.startsWith('/v1.0/users?'))) {
          clearInterval(poll);
          process.emit('SIGINT');
        }
      }, 5);
      expect(await running).toBe(1);
      clearInterval(poll);
      expect(err.join('\n')).toMatch(/cancelled; nothing was kept/);
      expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/users?')).length).toBeLessThan(6);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(workspace)).toBe(false);
    } finally {
      await graph.close();
    }
  });

  it('a Graph failure on a later page stores no snapshot and writes no file', async () => {
    const graph = await startFakeGraph(demoGraphData(3000));
    const workspace = join(temp, 'failed.scimplan');
    const out = join(temp, 'failed.json');
    try {
      graph.injectFault({ path: /^\/v1\.0\/users$/, after: 2, status: 500 });
      const { io, err } = fakeIO();
      expect(
        await fetchCommand.run(
          [
            '--access-token',
            graph.accessToken,
            '--graph-base-url',
            graph.baseUrl,
            '--out',
            out,
            '--workspace',
            workspace,
          ],
          io,
        ),
      ).toBe(1);
      expect(err.join('\n')).toMatch(/fetch failed: Graph answered 500/);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(workspace)).toBe(false);
    } finally {
      await graph.close();
    }
  });
});

describe('scim-planner import', () => {
  it('imports a correct CSV into a csv snapshot', async () => {
    const workspace = join(temp, 'import.scimplan');
    const file = join(temp, 'users.csv');
    writeFileSync(file, exportUsersCsv(demoGraphData().users.slice(0, 25)));
    const { io, out } = fakeIO();
    expect(await importCommand.run([file, '--workspace', workspace], io)).toBe(0);
    expect(out.join()).toMatch(/Imported 25 users/);
    expect(snapshotsOf(workspace).find((s) => s.origin === 'csv')).toMatchObject({ userCount: 25, label: 'users.csv' });
  });

  it('refuses a CSV with errors, naming line and column, and stores no snapshot', async () => {
    const workspace = join(temp, 'bad.scimplan');
    const file = join(temp, 'bad.csv');
    writeFileSync(file, 'userPrincipalName,accountEnabled\r\na@contoso.com,True\r\nb@contoso.com,sometimes\r\n');
    const { io, err } = fakeIO();
    expect(await importCommand.run([file, '--workspace', workspace], io)).toBe(2);
    expect(err.join('\n')).toMatch(/line 3, column 2 \(accountEnabled\)/);
    expect(existsSync(workspace)).toBe(false);
  });

  it('imports Graph users JSON as a json snapshot', async () => {
    const workspace = join(temp, 'json.scimplan');
    const file = join(temp, 'graph-users.json');
    writeFileSync(file, JSON.stringify({ value: demoGraphData().users.slice(0, 10) }));
    const { io } = fakeIO();
    expect(await importCommand.run([file, '--workspace', workspace, '--label', 'ten users'], io)).toBe(0);
    expect(snapshotsOf(workspace).find((s) => s.origin === 'json')).toMatchObject({
      userCount: 10,
      label: 'ten users',
    });
  });

  it('leaves no stray files in the temp folder from refused runs', () => {
    expect(readdirSync(temp).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
