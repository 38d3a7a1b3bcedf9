import { describe, expect, it } from 'vitest';
import { PendingWrites, type PendingWrite } from '../../../../electron/backend/go-live/pending-writes.ts';

/** The confirmation tokens of going live from the app: one write each, for the write they were shown for, for a while. */
const written: string[] = [];
const pendingWrite = (kind: PendingWrite['kind'], appName: string | null = 'Contoso SCIM'): PendingWrite => ({
  kind,
  target: { tenant: 'Contoso (t1)', appName, servicePrincipalId: 'sp-1', jobId: 'scim.1' },
  access: { accountId: 'token:1' },
  workspacePath: '/w.scimplan',
  live: { synchronizationRules: [] },
  typeToConfirm: appName ?? 'sp-1',
  write: () => {
    written.push(kind);
    return Promise.reject(new Error('not called by these tests'));
  },
});

const refusal = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('PendingWrites', () => {
  it('redeems a token once, for its own kind, with the app name typed, in the workspace it was compared in', () => {
    const pending = new PendingWrites();
    const { token } = pending.add(pendingWrite('apply'));
    expect(refusal(() => pending.redeem(token, 'rollback', 'Contoso SCIM', '/w.scimplan'))).toMatch(/unknown, used or expired/);
    expect(refusal(() => pending.redeem(token, 'apply', 'Contoso', '/w.scimplan'))).toBe("Nothing was written: type the app's name, Contoso SCIM, to confirm.");
    expect(pending.redeem(token, 'apply', ' Contoso SCIM ', '/w.scimplan').target.jobId).toBe('scim.1');
    expect(refusal(() => pending.redeem(token, 'apply', 'Contoso SCIM', '/w.scimplan'))).toMatch(/unknown, used or expired/);

    const other = pending.add(pendingWrite('apply')).token;
    expect(refusal(() => pending.redeem(other, 'apply', 'Contoso SCIM', '/other.scimplan'))).toMatch(/another workspace was opened/);
    expect(written).toEqual([]);
  });

  it('a token expires after 15 minutes; an app without a name is confirmed by its service principal id', () => {
    let now = 1_000_000;
    const pending = new PendingWrites(() => now);
    const { token, expiresAt } = pending.add(pendingWrite('rollback', null));
    expect(expiresAt).toBe(new Date(1_000_000 + 15 * 60_000).toISOString());
    now += 15 * 60_000 - 1;
    const kept = pending.add(pendingWrite('rollback', null)).token;
    expect(pending.redeem(kept, 'rollback', 'sp-1', '/w.scimplan').kind).toBe('rollback');
    now += 1;
    expect(refusal(() => pending.redeem(token, 'rollback', 'sp-1', '/w.scimplan'))).toMatch(/unknown, used or expired/);
  });

  it('keeps at most 20 unredeemed comparisons, dropping the oldest', () => {
    const pending = new PendingWrites();
    const tokens = Array.from({ length: 21 }, () => pending.add(pendingWrite('apply')).token);
    expect(refusal(() => pending.redeem(tokens[0]!, 'apply', 'Contoso SCIM', '/w.scimplan'))).toMatch(/unknown, used or expired/);
    expect(pending.redeem(tokens[1]!, 'apply', 'Contoso SCIM', '/w.scimplan').kind).toBe('apply');
  });
});
