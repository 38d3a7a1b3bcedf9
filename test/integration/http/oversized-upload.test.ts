import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp.ts';

/**
 * Each server runs in its own process, as the admin runs it: a server sharing the test's event loop
 * cannot answer while the upload is still being written, which hides the early close being tested.
 */
interface Child {
  process: ChildProcess;
  /** the first stdout line that matched */
  line: string;
}

function spawnServer(args: string[], ready: RegExp): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => ready.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve({ process: child, line });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)));
  });
}

function stop(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGTERM');
  });
}

const FIVE_MB = 5 * 1024 * 1024;

/** Twenty 5 MB uploads one after another; each outcome is the status read or the client's error. */
async function uploadTwenty(url: string, headers: Record<string, string>, body: string): Promise<Array<number | string>> {
  const outcomes: Array<number | string> = [];
  for (let i = 0; i < 20; i++) {
    try {
      const response = await fetch(url, { method: 'POST', headers, body });
      await response.arrayBuffer();
      outcomes.push(response.status);
    } catch (error) {
      outcomes.push(String((error as Error).cause ?? error));
    }
  }
  return outcomes;
}

describe('oversized uploads get their 413', () => {
  const dir = tempDir();
  let mock: Child | undefined;
  let bridge: Child | undefined;

  beforeAll(async () => {
    [mock, bridge] = await Promise.all([
      spawnServer(['bin/scim-planner.mjs', 'mock-server', '--port', '0', '--db', ':memory:', '--token', 'upload-token'], /^\{.*"url"/),
      spawnServer(['--import', 'tsx', 'electron/bridge/web.ts', '--port', '0', '--workspace', join(dir.path, 'w.scimplan')], /^Open: /),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stop(mock), stop(bridge)]);
    dir.cleanup();
  });

  it('from the mock SCIM server, 20 times out of 20, while a small request still works', async () => {
    const { url } = JSON.parse(mock!.line) as { url: string };
    const headers = { Authorization: 'Bearer upload-token', 'Content-Type': 'application/scim+json' };
    const uploads = uploadTwenty(`${url}/Users`, headers, JSON.stringify({ userName: 'big@contoso.test', title: 'x'.repeat(FIVE_MB) }));
    const small = await fetch(`${url}/Users?count=1`, { headers });
    expect(small.status).toBe(200);
    expect(await uploads).toEqual(Array(20).fill(413));
  });

  it('from the browser-mode bridge, 20 times out of 20, while a small request still works', async () => {
    const launch = new URL(bridge!.line.replace(/^Open: /, '').trim());
    const headers = { authorization: `Bearer ${launch.searchParams.get('token')}`, 'content-type': 'application/json' };
    const uploads = uploadTwenty(`${launch.origin}/api/tenant.listUsers`, headers, JSON.stringify({ snapshotId: 1, search: 'x'.repeat(FIVE_MB) }));
    const small = await fetch(`${launch.origin}/api/app.info`, { method: 'POST', headers, body: '{}' });
    expect(small.status).toBe(200);
    expect(await uploads).toEqual(Array(20).fill(413));
  });
});
