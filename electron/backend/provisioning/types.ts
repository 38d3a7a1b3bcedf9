/**
 * The provisioning simulator's vocabulary: cycles, objects, the Entra-like steps of each object and the per-target
 * state Entra keeps between cycles (links, escrow, quarantine; Microsoft Learn "How Application Provisioning works";
 * Microsoft Learn "Application provisioning in quarantine status").
 */
import type { AuditStatus, AuditStepName, CycleSummaryDto, ProvisionedObjectType, Quarantine } from '../../../shared/api/provisioning.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { GroupAction } from '../../../shared/preview/group-decision.ts';
import type { UserAction } from '../../../shared/preview/types.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';
import type { DirectoryUsers } from './directory-users.ts';
import type { ScimExchange } from './scim-client.ts';

export type { CycleKind, Quarantine } from '../../../shared/api/provisioning.ts';
export type ObjectType = ProvisionedObjectType;

/** What was done to an object; `link-manager` and `members` are the reference updates after creates (§1.4 step 6). */
export type ObjectAction = 'create' | 'update' | 'deactivate' | 'delete' | 'none' | 'skip' | 'link-manager' | 'members';
/** What a dry run plans for an object, in the preview's words (a group's actions are a subset of a user's). */
export type PlanAction = UserAction | GroupAction;
export type ObjectStatus = AuditStatus;

/** One step of an object, as Entra's provision-on-demand shows them (§1.4). */
export interface AuditStep {
  name: AuditStepName;
  status: ObjectStatus;
  /** one line: what happened */
  summary: string;
  /** key/value details shown under the step ("Matching attribute", "Matched target objects", …) */
  details: Record<string, string>;
  requests: ScimExchange[];
}

export interface AuditEntry {
  objectType: ObjectType;
  sourceId: string;
  /** userPrincipalName or group displayName */
  label: string;
  action: ObjectAction;
  status: ObjectStatus;
  reason: string | null;
  errorCode: string | null;
  targetId: string | null;
  /** ms since the cycle started, for the timeline */
  startedMs: number;
  durationMs: number;
  steps: AuditStep[];
}

export interface GroupSource {
  source: SourceObject;
  /** direct members' object ids (nested groups are not expanded, §1.4) */
  memberIds: readonly string[];
}

export interface DirectoryState {
  users: readonly SourceObject[];
  groups?: readonly GroupSource[];
}

/** A directory whose users are read in batches (a workspace snapshot), never held whole. */
export interface DirectoryReader {
  users: DirectoryUsers;
  groups?: readonly GroupSource[];
}

/** What a cycle reads: users in memory (a users file) or read in batches. */
export type CycleDirectory = DirectoryState | DirectoryReader;

/** The link Entra caches after create or match: the target's id and what we last knew it to hold. */
export interface TargetLink {
  objectType: ObjectType;
  sourceId: string;
  targetId: string;
  resource: JsonObject;
  source: SourceObject;
  /** group links: the member target ids we added (Entra never reads members back, §1.10) */
  members?: string[];
}

export interface EscrowEntry {
  objectType: ObjectType;
  sourceId: string;
  firstFailedAt: string;
  attempts: number;
  errorCode: string;
  message: string;
}


/** Per target (SCIM base) state that survives between cycles: SQLite in the app, memory in the CLI. */
export interface ProvisioningState {
  getLink(objectType: ObjectType, sourceId: string): TargetLink | undefined;
  allLinks(objectType: ObjectType): TargetLink[];
  /** every link's source id and target id, without the resources: what manager and member references need */
  linkTargets(objectType: ObjectType): Map<string, string>;
  putLink(link: TargetLink): void;
  deleteLink(objectType: ObjectType, sourceId: string): void;
  clearLinks(): void;
  escrowed(): EscrowEntry[];
  escrow(objectType: ObjectType, sourceId: string, errorCode: string, message: string, at: string): EscrowEntry;
  releaseEscrow(objectType: ObjectType, sourceId: string): void;
  clearEscrow(): void;
  quarantine(): Quarantine | null;
  setQuarantine(quarantine: Quarantine | null): void;
}

export class MemoryProvisioningState implements ProvisioningState {
  private readonly links = new Map<string, TargetLink>();
  private readonly escrows = new Map<string, EscrowEntry>();
  private quarantined: Quarantine | null = null;

  getLink(objectType: ObjectType, sourceId: string) {
    return this.links.get(`${objectType}:${sourceId}`);
  }
  allLinks(objectType: ObjectType) {
    return [...this.links.values()].filter((l) => l.objectType === objectType);
  }
  linkTargets(objectType: ObjectType) {
    return new Map(this.allLinks(objectType).map((l) => [l.sourceId, l.targetId]));
  }
  putLink(link: TargetLink) {
    this.links.set(`${link.objectType}:${link.sourceId}`, link);
  }
  deleteLink(objectType: ObjectType, sourceId: string) {
    this.links.delete(`${objectType}:${sourceId}`);
  }
  clearLinks() {
    this.links.clear();
  }
  escrowed() {
    return [...this.escrows.values()];
  }
  escrow(objectType: ObjectType, sourceId: string, errorCode: string, message: string, at: string) {
    const key = `${objectType}:${sourceId}`;
    const existing = this.escrows.get(key);
    const entry: EscrowEntry = existing
      ? { ...existing, attempts: existing.attempts + 1, errorCode, message }
      : { objectType, sourceId, firstFailedAt: at, attempts: 1, errorCode, message };
    this.escrows.set(key, entry);
    return entry;
  }
  releaseEscrow(objectType: ObjectType, sourceId: string) {
    this.escrows.delete(`${objectType}:${sourceId}`);
  }
  clearEscrow() {
    this.escrows.clear();
  }
  quarantine() {
    return this.quarantined;
  }
  setQuarantine(quarantine: Quarantine | null) {
    this.quarantined = quarantine;
  }
}

/** What a cycle did, as the API reports it (notProcessed: planned but not reached, cancelled or target unreachable). */
export type CycleSummary = CycleSummaryDto;
