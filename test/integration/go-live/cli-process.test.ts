import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import { JOB_ID, graphData, liveSchema, planSchema, writeJson } from './fixtures.ts';

// The CLI as an admin runs it (the package's bin, a process of its own) against the fake Graph in this one:
// asynchronously, so this process keeps answering Graph while the CLI waits.
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/scim-planner.mjs', ...args], { env: { ...process.env, ...env }, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('going live from the command line, end to end', () => {
  const data = graphData();
  const temp = tempDir('go-live-e2e-');
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(data);
  });
  afterAll(async () => {
    await graph.close();
    temp.cleanup();
  });

  it('diff, confirm, apply with a verified read-back, then roll back to the schema that was live', async () => {
    const env = { SCIM_PLANNER_ACCESS_TOKEN: graph.accessToken };
    const job = ['--graph-base-url', graph.baseUrl, '--service-principal', data.servicePrincipalId, '--job', JOB_ID, '--workspace', `${temp.path}/w.scimplan`];
    const mappings = writeJson(temp.path, 'plan.json', planSchema());

    const diff = await cli(['apply', ...job, '--mappings', mappings], env);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('name.familyName: row removed');
    expect(diff.stdout).toContain('re-run with --yes');
    expect(graph.goLive.schemaPuts).toHaveLength(0);

    const applied = await cli(['apply', ...job, '--mappings', mappings, '--yes'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Read back: the job's schema is what was planned.");
    expect(graph.goLive.schemaPuts).toHaveLength(1);

    const rolledBack = await cli(['rollback', ...job, '--yes'], env);
    expect(rolledBack.code).toBe(0);
    expect(rolledBack.stdout).toContain("Read back: the job's schema is the backup.");
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(liveSchema());
  }, 120_000);
});
