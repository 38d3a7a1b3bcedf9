/** The local mock SCIM server in its own process (port 0 on 127.0.0.1), as benchmarks and stress tests run it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface MockScimProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startMockScimProcess(dir: string, token = 'bench-token'): Promise<MockScimProcess> {
  const root = new URL('../../', import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/mock-server-entry.ts', '--port', '0', '--token', token, '--db', join(dir, 'mock.sqlite')], {
    cwd: new URL('.', root).pathname,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /\{"url".*\}/.exec(text);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`mock server exited with ${code}`)));
  });
  const started = JSON.parse(line) as { url: string; token: string };
  return {
    ...started,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
