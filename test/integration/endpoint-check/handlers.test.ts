import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { CheckResult, Envelope } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';
import { startIndependentServer, type IndependentServer } from './independent-server.ts';

let dir: ReturnType<typeof tempDir>;
let backend: Backend;
let indie: IndependentServer | null = null;

beforeEach(() => {
  dir = tempDir('endpoint-check-handlers-');
  backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
});
afterEach(async () => {
  await backend.close();
  await indie?.stop();
  indie = null;
  dir.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<Envelope<T>> {
  return (await dispatch(backend.handlers, name, input)) as Envelope<T>;
}

async function value<T>(name: string, input: unknown): Promise<T> {
  const envelope = await call<T>(name, input);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

describe('endpoint check handlers', () => {
  it('run the full check against the app’s mock server with the project’s plan, streaming each step', async () => {
    await value('mockServer.start', {});
    const { url, token } = await value<{ url: string; token: string }>('mockServer.status', {});
    const target = { url, credentials: { kind: 'bearer', token } };

    const refused = await call('endpointCheck.run', { target, readOnly: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('confirmation-required');
      expect(refused.error.message).toContain(`writes to ${url}`);
    }

    const streamed: string[] = [];
    const stop = backend.events.subscribe((name, payload) => {
      if (name === 'endpointCheck.step') streamed.push((payload as { id: string }).id);
    });
    const result = await value<CheckResult>('endpointCheck.run', { target, readOnly: false, confirmWrites: true });
    stop();
    expect(result.failed).toBe(0);
    expect(result.cleanup.leftOver).toEqual([]);
    expect(streamed).toEqual(result.steps.map((s) => s.id));
    expect(JSON.stringify(result)).not.toContain(token);
    const status = await value<{ users: number; groups: number }>('mockServer.status', {});
    expect([status.users, status.groups]).toEqual([0, 0]);
  });

  it('discover drafts a profile and compares it with the project’s plan', async () => {
    indie = await startIndependentServer();
    const result = await value<{ discovered: boolean; profile: { attributes: unknown[] }; diff: Array<{ kind: string; target: string }> }>(
      'endpointCheck.discover',
      { target: { url: indie.url, credentials: { kind: 'bearer', token: 'indie-token' } } },
    );
    expect(result.discovered).toBe(true);
    expect(result.profile.attributes.length).toBe(15);
    expect(result.diff.some((d) => d.kind === 'required-not-mapped' && d.target.endsWith(':badgeNumber'))).toBe(true);
  });
});
