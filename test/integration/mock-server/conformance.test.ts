import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { replayConformance, requiredFailures, sendsCapitalisedOp, withRfcOpNames, type ConformanceStep } from './conformance-replay.ts';
import { startTestServer, type TestServer } from './helpers.ts';

const root = join(import.meta.dirname, '../../..');
const steps = JSON.parse(readFileSync(join(root, 'test/fixtures/scim-conformance.json'), 'utf8')) as ConformanceStep[];
const sharedRunner = join(root, '../shared/tools/scim-conformance.mjs');
const hasShared = existsSync(sharedRunner);

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('conformance script replayed by the project (test/fixtures copy)', () => {
  it('Entra-compatible mode passes every entra and rfc step (profile all) with 0 failed', async () => {
    running = await startTestServer();
    const results = await replayConformance(steps, running.server.url, running.server.token, 'all');
    // optional steps too: F37 (sortBy/sortOrder) passes since the server advertises sort.supported
    expect(results.filter((r) => r.outcome === 'fail').map((r) => r.id)).toEqual([]);
    expect(results.filter((r) => r.outcome === 'pass').length).toBeGreaterThanOrEqual(164);
  });

  it('Entra-compatible mode passes the entra profile with 0 failed', async () => {
    running = await startTestServer();
    const results = await replayConformance(steps, running.server.url, running.server.token, 'entra');
    expect(requiredFailures(results)).toEqual([]);
  });

  it('strict mode passes the whole rfc profile with 0 failed (the RFC twins of E01, F03 and G08 set up the state)', async () => {
    running = await startTestServer({ mode: 'strict' });
    const results = await replayConformance(withRfcOpNames(steps), running.server.url, running.server.token, 'rfc');
    expect(requiredFailures(results).map((r) => r.id)).toEqual([]);
    // the twins ran, and so did the steps that count the state they set up
    for (const id of ['E01r-disable-boolean', 'F03r-create-active-boolean', 'G08r-remove-member-filtered', 'E03-inactive-still-queryable', 'F04-filter-co', 'F32-unfiltered-list', 'C27-patch-remove-without-path', 'C30-patch-readonly-id', 'C32-patch-atomicity', 'F23-invalid-filter-gt-boolean', 'B09-match-email-rfc-form']) {
      expect(results.find((r) => r.id === id)?.outcome, id).toBe('pass');
    }
  });

  it('strict mode refuses every step that sends a capitalised op name, with 400 invalidSyntax naming the op', async () => {
    running = await startTestServer({ mode: 'strict' });
    const results = await replayConformance(steps, running.server.url, running.server.token, 'rfc');
    // a step that expects an error (C31: PATCH of an unknown user, 404) fails for its own reason before the op is read
    const succeeds = (s: ConformanceStep) => [s.expect?.status ?? 200].flat().some((status) => status < 300);
    const capitalised = steps.filter((s) => s.profile === 'both' && sendsCapitalisedOp(s) && succeeds(s)).map((s) => s.id);
    expect(capitalised.length).toBeGreaterThan(5);
    const failed = new Set(requiredFailures(results).map((r) => r.id));
    for (const id of capitalised) expect(failed.has(id), id).toBe(true);
    // each refusal is an RFC 7644 error body that names the op it got
    const refusals = running.server.requestLog({ text: 'patch.op', limit: 1000 }).filter((entry) => /"op":"(Add|Replace|Remove)"/.test(entry.requestBody ?? ''));
    expect(refusals.length).toBe(capitalised.length);
    for (const entry of refusals) {
      const body = JSON.parse(entry.responseBody!) as { schemas: string[]; status: string; scimType: string; detail: string };
      expect([entry.status, body.schemas, body.status, body.scimType]).toEqual([400, ['urn:ietf:params:scim:api:messages:2.0:Error'], '400', 'invalidSyntax']);
      expect(body.detail).toMatch(/"op" must be exactly add, remove or replace, got "(Add|Replace|Remove)"/);
    }
  });

  it('strict mode rejects the Entra value-level quirks of the entra profile', async () => {
    running = await startTestServer({ mode: 'strict' });
    const results = await replayConformance(steps, running.server.url, running.server.token, 'entra');
    const failed = new Set(requiredFailures(results).map((r) => r.id));
    for (const quirk of ['C10-patch-flag-pathless-dotted', 'C14-patch-add-missing-other-email', 'D02-patch-add-manager-string', 'E01-disable-string', 'F03-create-active-string', 'G08-remove-member-default', 'B08-match-email-entra-form']) {
      expect(failed.has(quirk), quirk).toBe(true);
    }
    const log = running.server.requestLog({ text: 'strict.string-boolean' });
    expect(log.length).toBeGreaterThan(0);
    expect(log[0]!.status).toBe(400);
  });
});

describe.skipIf(!hasShared)('shared conformance runner (../shared/tools/scim-conformance.mjs)', () => {
  it('reports 0 failed against Entra-compatible mode with --profile entra', async () => {
    running = await startTestServer();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [sharedRunner, '--base', running.server.url, '--token', running.server.token, '--profile', 'entra'],
      { timeout: 60_000 },
    );
    expect(stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/m);
  });

  it('reports 0 failed against strict mode with --profile rfc and the script’s op names in RFC case', async () => {
    running = await startTestServer({ mode: 'strict' });
    const dir = mkdtempSync(join(tmpdir(), 'scim-conformance-'));
    try {
      const script = join(dir, 'scim-conformance-rfc-ops.json');
      writeFileSync(script, JSON.stringify(withRfcOpNames(steps)));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [sharedRunner, '--base', running.server.url, '--token', running.server.token, '--profile', 'rfc', '--script', script],
        { timeout: 60_000 },
      );
      expect(stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (!hasShared) console.warn('skipping the shared conformance runner: ../shared/tools/scim-conformance.mjs is absent');
