import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { Envelope, MethodOutput } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

let dir: ReturnType<typeof tempDir>;
let backend: Backend;

beforeEach(() => {
  dir = tempDir('provisioning-handlers-');
  backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
});
afterEach(async () => {
  await backend.close();
  dir.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const envelope = (await dispatch(backend.handlers, name, input)) as Envelope<T>;
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

function finished(runId: number): Promise<{ status: string; summary: Record<string, number> | null }> {
  return new Promise((resolve) => {
    const stop = backend.events.subscribe((name, payload) => {
      const event = payload as { runId: number; status: string; summary: Record<string, number> | null };
      if (name === 'provisioning.progress' && event.runId === runId && event.status !== 'running') {
        stop();
        resolve(event);
      }
    });
  });
}

describe('provisioning handlers', () => {
  it('plans, runs an initial cycle against the app mock server, and serves the audit log and its exports', async () => {
    await call('mockServer.start', {});
    const plan = await call<{ loopback: boolean; counts: { create: number }; objects: unknown[] }>('provisioning.plan', { cycle: 'initial', target: 'mock' });
    expect(plan.loopback).toBe(true);
    expect(plan.counts.create).toBeGreaterThan(150);

    const connection = await call<{ ok: boolean }>('provisioning.testConnection', { target: 'mock' });
    expect(connection.ok).toBe(true);

    const steps: unknown[] = [];
    const unsubscribe = backend.events.subscribe((name, payload) => {
      if (name === 'provisioning.step') steps.push(payload);
    });
    const { runId } = await call<{ runId: number }>('provisioning.run', { cycle: 'initial', target: 'mock' });
    const done = await finished(runId);
    unsubscribe();
    expect(done.status).toBe('completed');
    expect(done.summary!.created).toBeGreaterThanOrEqual(plan.counts.create);
    expect(done.summary!.failed).toBe(0);

    const runs = await call<{ id: number; status: string }[]>('provisioning.runs', {});
    expect(runs[0]).toMatchObject({ id: runId, status: 'completed' });
    const log = await call<{ total: number; items: { id: number; status: string }[] }>('provisioning.auditLog', { runId, limit: 5000 });
    expect(log.total).toBe(steps.length);
    const skipped = await call<{ total: number }>('provisioning.auditLog', { runId, status: 'skipped' });
    expect(skipped.total).toBe(log.items.filter((r) => r.status === 'skipped').length);
    const search = await call<{ items: { label: string }[] }>('provisioning.auditLog', { runId, search: 'megan.bowen' });
    expect(search.items.map((r) => r.label)).toContain('megan.bowen@contoso.com');

    const entry = await call<{ steps: { name: string; requests: { method: string; requestHeaders: Record<string, string> }[] }[] }>('provisioning.auditEntry', {
      id: log.items.find((r) => r.status === 'success')!.id,
    });
    expect(entry.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['Import', 'Scope', 'Match', 'Action']));
    expect(JSON.stringify(entry)).not.toContain((await call<{ token: string }>('mockServer.status', {})).token);

    const csv = await call<{ content: string; fileName: string }>('provisioning.exportAuditLog', { runId, format: 'csv' });
    expect(csv.fileName).toMatch(/\.csv$/);
    expect(csv.content.split('\r\n')[0]).toBe('objectType,sourceId,label,action,status,reason,errorCode,targetId,durationMs,requests,steps');
    expect(csv.content.trimEnd().split('\r\n')).toHaveLength(log.total + 1);
    const json = JSON.parse((await call<{ content: string }>('provisioning.exportAuditLog', { runId, format: 'json' })).content);
    expect(json.entries).toHaveLength(log.total);

    // nothing changed since: the incremental cycle sends nothing
    const again = await call<{ runId: number }>('provisioning.run', { cycle: 'incremental', target: 'mock' });
    const quiet = await finished(again.runId);
    expect(quiet.summary!.requests).toBe(0);

    // a leaver rehearsed with an edit is disabled
    const leaver = await call<{ runId: number }>('provisioning.run', { cycle: 'incremental', target: 'mock', edits: [{ kind: 'leaver', userId: 'emma.brown@contoso.com', how: 'disable' }] });
    const left = await finished(leaver.runId);
    expect(left.summary!.disabled).toBe(1);
  });

  it('refuses a target off this machine without confirmation and says what would be sent', async () => {
    const envelope = await dispatch(backend.handlers, 'provisioning.run', { cycle: 'initial', target: { url: 'https://scim.example.invalid/scim/v2', token: 'secret' } });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) {
      expect(envelope.error.code).toBe('confirmation-required');
      expect(envelope.error.message).toMatch(/would create \d+, change \d+ and disable \d+ objects/);
    }
    expect(await call<unknown[]>('provisioning.runs', {})).toEqual([]);
  });

  it('asks for the mock server to be started when it is not running', async () => {
    const envelope = await dispatch(backend.handlers, 'provisioning.plan', { cycle: 'initial', target: 'mock' });
    expect(envelope.ok ? null : envelope.error.code).toBe('mock-server-stopped');
  });
});

describe('the dry run forecast on the Provisioning screen (issue 15)', () => {
  it('forecasts an initial cycle from the plan: objects in scope, 0.01–0.08 min each, requests by kind', async () => {
    await call('mockServer.start', {});
    const plan = await call<MethodOutput<'provisioning.plan'>>('provisioning.plan', { cycle: 'initial', target: 'mock' });
    const forecast = plan.forecast!;
    const inScope = plan.counts.create + plan.counts.update + plan.counts.none + plan.counts.deactivate + plan.counts.delete + plan.counts.error;
    expect(forecast.users + forecast.groups).toBe(inScope);
    expect(forecast.objects).toBe(forecast.users + forecast.groups + forecast.memberships);
    expect(forecast.minutes).toEqual({ low: forecast.objects / 100, high: Math.round(forecast.objects * 8) / 100 });
    expect(forecast.requests.POST).toBe(plan.counts.create);
    expect(forecast.totalRequests).toBe(Object.values(forecast.requests).reduce((a, b) => a + b, 0));
    expect(forecast.incrementalIntervalMinutes).toBe(40);
  });

  it('has no first-cycle forecast for an incremental cycle', async () => {
    await call('mockServer.start', {});
    const plan = await call<MethodOutput<'provisioning.plan'>>('provisioning.plan', { cycle: 'incremental', target: 'mock' });
    expect(plan.forecast).toBeNull();
  });
  it('plans what-if edits over the snapshot read in batches: joiner added, mover changed, leavers gone, an unknown user refused', async () => {
    await call('mockServer.start', {});
    type Plan = { totalObjects: number; objects: { sourceId: string; label: string; action: string }[] };
    const before = await call<Plan>('provisioning.plan', { cycle: 'initial', target: 'mock' });
    const edits = [
      { kind: 'joiner', source: { objectId: 'what-if-joiner', userPrincipalName: 'new.joiner@contoso.com', mailNickname: 'new.joiner', displayName: 'New Joiner' } },
      { kind: 'mover', userId: 'megan.bowen@contoso.com', set: { userPrincipalName: 'megan.moved@contoso.com' } },
      // the mover is found by the name the earlier edit gave it
      { kind: 'leaver', userId: 'MEGAN.MOVED@contoso.com', how: 'delete' },
      { kind: 'leaver', userId: 'emma.brown@contoso.com', how: 'delete' },
    ];
    const after = await call<Plan>('provisioning.plan', { cycle: 'initial', target: 'mock', edits });
    expect(after.totalObjects).toBe(before.totalObjects - 1);
    const labels = after.objects.map((o) => o.label);
    expect(labels).not.toContain('megan.bowen@contoso.com');
    expect(labels).not.toContain('megan.moved@contoso.com');
    expect(labels).not.toContain('emma.brown@contoso.com');
    expect(after.objects.find((o) => o.sourceId === 'what-if-joiner')).toMatchObject({ label: 'new.joiner@contoso.com', action: 'create' });
    const envelope = (await dispatch(backend.handlers, 'provisioning.plan', { cycle: 'initial', target: 'mock', edits: [{ kind: 'leaver', userId: 'nobody@contoso.com', how: 'delete' }] })) as Envelope<unknown>;
    expect(envelope.ok ? null : envelope.error).toMatchObject({ code: 'not-found', message: 'No user nobody@contoso.com in the snapshot to edit' });
  });
});
