import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/** `scim-planner mock-server` as an admin starts it; resolves with its first stdout line, or its exit code and stderr. */
async function startCli(args: string[]) {
  const child = spawn(process.execPath, ['bin/scim-planner.mjs', 'mock-server', '--db', ':memory:', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const first = new Promise<string | null>((resolve) => {
    lines.once('line', resolve);
    child.once('exit', () => resolve(null));
  });
  const line = await first;
  return { child, line, stderr: () => stderr };
}

/** Stops the server if it still runs, so a failed expectation never leaves it behind. */
async function stop(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

// Issue 20 item 11: --failure-rate is a percentage, like the Mock server screen's "Failure rate (%)".
describe('scim-planner mock-server --failure-rate', () => {
  it('takes a percentage: 100 answers every request with 500', { timeout: 60_000 }, async () => {
    const { child, line } = await startCli(['--failure-rate', '100']);
    try {
      expect(line).not.toBeNull();
      const { url, token } = JSON.parse(line!) as { url: string; token: string };
      const response = await fetch(`${url}/Users`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('injected failure');
    } finally {
      await stop(child);
    }
  });

  it('refuses the old 0..1 form with exit 2 and a message naming both readings', { timeout: 60_000 }, async () => {
    const { child, line, stderr } = await startCli(['--failure-rate', '0.05']);
    // a server that started anyway is stopped before the expectations say so
    if (line !== null) await stop(child);
    else if (child.exitCode === null) await once(child, 'exit');
    expect(line).toBeNull();
    expect(child.exitCode).toBe(2);
    expect(stderr()).toContain('--failure-rate is a percentage from 0 to 100, so "0.05" is ambiguous');
    expect(stderr()).toContain('Write 5 for 5%');
  });
});
