/**
 * The confirmation rule of going live from the app: a preview (diff and impact) hands out a token for exactly the write
 * it showed; apply and rollback redeem it once. The token is refused when it is unknown, used, expired, confirmed with
 * the wrong name, or when the job's live schema changed since the preview, so nothing the admin did not see is written.
 */
import { randomUUID } from 'node:crypto';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { canonicalJson } from '../../../shared/go-live/schema-diff.ts';
import type { GraphClient } from '../directory/graph-client.ts';
import { UserFacingError } from '../errors.ts';
import type { BackupStore } from './backups.ts';
import type { JobTarget, WriteResult } from './go-live.ts';
import { readLiveSchema } from './job-api.ts';

/** Long enough to read a diff and type the app's name; short enough that a forgotten preview is not applied later. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** Previews never redeemed are dropped oldest first beyond this. */
const MAX_PENDING = 20;

export interface PendingWrite {
  kind: 'apply' | 'rollback';
  target: JobTarget;
  /** the Graph access the preview read with (account and endpoint), used again for the write */
  access: { accountId: string; graphBaseUrl?: string };
  /** the workspace the backup goes to: the one open at the preview */
  workspacePath: string;
  /** the live schema the diff was computed against */
  live: MappingSet;
  /** what the admin types to confirm: the app's name, or its service principal id when it has none */
  typeToConfirm: string;
  /** backs up, PUTs and reads back exactly what the preview showed */
  write(client: GraphClient, backups: BackupStore): Promise<WriteResult>;
}

interface Entry extends PendingWrite {
  expiresAt: number;
}

export const typeToConfirmOf = (target: JobTarget): string => target.appName ?? target.servicePrincipalId;

export class PendingWrites {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  add(write: PendingWrite): { token: string; expiresAt: string } {
    this.dropExpired();
    while (this.entries.size >= MAX_PENDING) this.entries.delete(this.entries.keys().next().value!);
    const token = randomUUID();
    const expiresAt = this.now() + TOKEN_LIFETIME_MS;
    this.entries.set(token, { ...write, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Takes the token (once: a second call with it is refused) after checking the kind, the typed confirmation and the
   * workspace; the caller then checks the live schema with `unchangedSince`.
   */
  redeem(token: string, kind: PendingWrite['kind'], confirmation: string, workspacePath: string): PendingWrite {
    this.dropExpired();
    const entry = this.entries.get(token);
    const verb = kind === 'apply' ? 'Compare with the live configuration' : 'Choose "Roll back to this…"';
    if (!entry || entry.kind !== kind)
      throw new UserFacingError('confirmation-required', `Nothing was written: this confirmation is unknown, used or expired. ${verb} again, then confirm.`);
    if (confirmation.trim() !== entry.typeToConfirm.trim())
      throw new UserFacingError('confirmation-required', `Nothing was written: type the app's name, ${entry.typeToConfirm}, to confirm.`);
    this.entries.delete(token);
    if (entry.workspacePath !== workspacePath)
      throw new UserFacingError('confirmation-required', `Nothing was written: another workspace was opened since the comparison (backups go to the workspace you compared in). ${verb} again.`);
    return entry;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
  }
}

/** Refuses the write when the job's live schema is no longer the one the admin compared with. */
export async function ensureLiveUnchanged(client: GraphClient, pending: PendingWrite): Promise<void> {
  const now = await readLiveSchema(client, pending.target);
  if (canonicalJson(now) !== canonicalJson(pending.live))
    throw new UserFacingError(
      'confirmation-required',
      `Nothing was written: the live schema of ${pending.target.appName ?? pending.target.servicePrincipalId} (job ${pending.target.jobId}) changed since you compared. Compare again to see the current differences.`,
    );
}
