import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { endpointCheckMarkdown, postmanCollectionJson } from '../../../electron/backend/endpoint-check/report.ts';
import { command as reportCommand } from '../../../electron/cli/report.ts';
import type { CheckResult, MethodName, MethodOutput } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';
import { startIndependentServer } from './independent-server.ts';

/**
 * The kept endpoint check on a real workspace: a run against the app's own mock server (strict, so steps fail with
 * evidence) appears in the project's report in every text format, in the panel's exports, after a restart, and in
 * `scim-planner report --workspace`.
 */
describe('the last endpoint check in the report', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let backend: Backend;

  async function call<M extends MethodName>(name: M, input: unknown): Promise<MethodOutput<M>> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as MethodOutput<M>;
  }

  beforeEach(() => {
    dir = tempDir('endpoint-check-report-');
    path = join(dir.path, 'w.scimplan');
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path });
  });
  afterEach(async () => {
    await backend.close();
    dir.cleanup();
  });

  it('keeps the run of the strict mock server and shows it, with the failed steps’ evidence, wherever the report goes', async () => {
    expect(await call('endpointCheck.last', {})).toBeNull();
    await expect(call('endpointCheck.export', { format: 'postman' })).rejects.toMatchObject({ code: 'not-found' });

    await call('mockServer.start', { strict: true });
    const { url, token } = (await call('mockServer.status', {})) as unknown as { url: string; token: string };
    const result: CheckResult = await call('endpointCheck.run', { target: { url, credentials: { kind: 'bearer', token } }, readOnly: false, confirmWrites: true });
    expect(result.failed).toBeGreaterThan(0);
    const failed = result.steps.filter((s) => s.outcome === 'fail');
    expect(await call('endpointCheck.last', {})).toEqual(result);

    const preview = await call('reports.preview', { options: {} });
    const section = preview.html.slice(preview.html.indexOf('<section id="endpointCheck">'));
    expect(section).toContain(`run ${result.runId} started ${result.startedAt}`);
    expect(section).toContain(`${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
    for (const step of failed) expect(section).toContain(`<h4>${step.title} (${step.id})</h4>`);

    const md = (await call('reports.save', { format: 'md', options: {} })).content;
    expect(md).toContain('## Vendor endpoint check');
    expect(md).toContain('### Evidence for each failed step');
    expect(md).toContain('"value": "False"');
    const json = JSON.parse((await call('reports.save', { format: 'json', options: {} })).content) as { endpointCheck: { runId: string; failures: { id: string }[] } };
    expect(json.endpointCheck.runId).toBe(result.runId);
    expect(json.endpointCheck.failures.map((f) => f.id)).toEqual(failed.map((s) => s.id));
    for (const text of [preview.html, md, JSON.stringify(json)]) expect(text).not.toContain(token);

    // the panel's downloads are the CLI's files, byte for byte
    const postman = await call('endpointCheck.export', { format: 'postman' });
    expect(postman).toMatchObject({ fileName: `scim-check-${result.runId}.postman_collection.json`, mediaType: 'application/json', encoding: 'utf8' });
    expect(postman.content).toBe(postmanCollectionJson(result));
    expect(postman.content).not.toContain(token);
    const exported = await call('endpointCheck.export', { format: 'report-section' });
    expect(exported.content).toBe(endpointCheckMarkdown(result));
    expect(exported.content).not.toContain(token);

    // kept in the workspace: there after a restart, and for the CLI
    await backend.close();
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path });
    expect(await call('endpointCheck.last', {})).toEqual(result);
    await backend.close();

    const out = join(dir.path, 'report.md');
    const io = { out: () => {}, err: () => {}, stdin: new PassThrough(), env: {} };
    expect(await reportCommand.run(['--workspace', path, '--format', 'md', '--out', out, '--sections', 'endpointCheck'], io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`run ${result.runId} started`);
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path });
  });

  it('keeps no run in a workspace opened while it ran, nor in the closed one it checked', async () => {
    const indie = await startIndependentServer();
    const other = join(dir.path, 'other.scimplan');
    let switched: Promise<void> | null = null;
    indie.onRequest = () => (switched ??= backend.openWorkspace(other));
    try {
      const result = await call('endpointCheck.run', { target: { url: indie.url, credentials: { kind: 'bearer', token: 'indie-token' } }, readOnly: true });
      await switched;
      expect(result.mode).toBe('read-only');
      expect(await call('endpointCheck.last', {})).toBeNull();
      await backend.openWorkspace(path);
      expect(await call('endpointCheck.last', {})).toBeNull();
    } finally {
      await indie.stop();
    }
  });

  it('a new run replaces the kept one', async () => {
    await call('mockServer.start', {});
    const { url, token } = (await call('mockServer.status', {})) as unknown as { url: string; token: string };
    const target = { url, credentials: { kind: 'bearer', token } };
    await call('endpointCheck.run', { target, readOnly: false, confirmWrites: true });
    const second = await call('endpointCheck.run', { target, readOnly: true });
    expect(second.mode).toBe('read-only');
    expect(await call('endpointCheck.last', {})).toEqual(second);
  });
});
