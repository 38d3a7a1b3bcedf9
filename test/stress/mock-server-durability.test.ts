import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const entry = join(import.meta.dirname, '../../electron/cli/mock-server-entry.ts');
const dir = mkdtempSync(join(tmpdir(), 'mock-durability-'));
const dbPath = join(dir, 'state.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function launch(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', '--db', dbPath, '--token', 'kill-test'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
  return { child, url };
}

describe('mock server durability', () => {
  it('keeps every user that got a 2xx when killed with SIGKILL during a burst of POSTs', async () => {
    const first = await launch();
    const acknowledged: string[] = [];
    let sent = 0;
    const post = async (worker: number) => {
      for (;;) {
        const n = sent++;
        try {
          const response = await fetch(`${first.url}/Users`, {
            method: 'POST',
            headers: { Authorization: 'Bearer kill-test', 'Content-Type': 'application/scim+json' },
            body: JSON.stringify({ userName: `burst${n}.${worker}@contoso.test`, active: true }),
          });
          const body = (await response.json()) as { id?: string };
          if (response.status === 201 && body.id) acknowledged.push(body.id);
        } catch {
          return; // the process is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => post(i));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill('SIGKILL');
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThan(50);

    const second = await launch();
    try {
      const missing: string[] = [];
      for (const id of acknowledged) {
        const response = await fetch(`${second.url}/Users/${id}`, { headers: { Authorization: 'Bearer kill-test' } });
        if (response.status !== 200) missing.push(id);
        await response.arrayBuffer();
      }
      expect(missing).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
    }
  });
});
