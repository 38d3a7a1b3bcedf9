import { randomUUID } from 'node:crypto';
import type { CanaryRunDto, CanaryUserPreview, HandlersFor } from '../../../shared/api.ts';
import type { canaryMethods } from '../../../shared/api/canary.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { asLoggedValue, type OnDemandResult } from '../../../shared/go-live/on-demand.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import type { BackendContext } from '../context.ts';
import type { DirectoryService } from '../directory/service.ts';
import { notFound, UserFacingError } from '../errors.ts';
import {
  CanaryGroupError,
  CanaryTargetError,
  ON_DEMAND_DIALECT_NOTE,
  canaryMembers,
  findGroup,
  previewForCanary,
  runCanary,
  runGroupCanary,
  type CanaryResult,
  type GroupCanaryResult,
} from '../go-live/canary.ts';
import { describeTarget } from '../go-live/go-live.ts';
import { OnDemandPacer, type JobRef } from '../go-live/job-api.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import { graphCall } from './synchronization.ts';

/** A preview's token is good for one run within this time: the admin confirms what they just read. */
const TOKEN_LIFETIME_MS = 10 * 60_000;
const BUDGET = { calls: 5, windowSeconds: 10 } as const;

type GraphAccess = Parameters<DirectoryService['graphClient']>[0];

interface PendingCanary {
  access: GraphAccess;
  job: JobRef;
  plan: MappingSet;
  group: SourceObject | null;
  users: SourceObject[];
  /** the tenant and app the confirmation named */
  target: { tenant: string; appName: string | null };
  expiresAt: number;
}

const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));

function userPreview(plan: MappingSet, source: SourceObject): CanaryUserPreview {
  const preview = previewForCanary(plan, source);
  return {
    objectId: String(source.objectId ?? ''),
    userPrincipalName: text(source.userPrincipalName),
    displayName: text(source.displayName),
    action: preview.action,
    reason: preview.reason,
    attributes: preview.attributes.map((a) => ({ attribute: a.attribute, value: asLoggedValue(a.value) })),
  };
}

const answerDto = (entra: OnDemandResult) => ({
  result: entra.result,
  errorCode: entra.errorCode,
  errorMessage: entra.errorMessage,
  action: entra.action,
  steps: entra.steps,
});

function userResult(result: CanaryResult): CanaryRunDto['users'][number] {
  return {
    objectId: result.objectId,
    userPrincipalName: result.userPrincipalName,
    entra: answerDto(result.entra),
    previewAction: result.preview.action,
    attributes: result.attributes,
    agrees: result.agrees,
  };
}

/**
 * The canary from the app: canary.preview names who is provisioned and what the preview sends, and hands out a token;
 * canary.run takes only that token, so it runs exactly what the admin confirmed, once. One pacer for the backend keeps
 * every run within Graph's 5 provisionOnDemand calls per 10 seconds.
 */
export function canaryHandlers(ctx: BackendContext, directory: DirectoryService, pacer = new OnDemandPacer()): HandlersFor<typeof canaryMethods> {
  const pending = new Map<string, PendingCanary>();
  const forget = (now: number) => {
    for (const [token, canary] of pending) if (canary.expiresAt <= now) pending.delete(token);
  };

  return {
    'canary.groups': ({ snapshotId, search, offset, limit }) => {
      const session = ctx.session();
      session.snapshot(snapshotId);
      const term = search.trim().toLowerCase();
      // the derived sources only: the raw Graph JSON repeats every member list
      const matching = session.store
        .listGroupSources(snapshotId)
        .filter((g) => !term || String(g.objectId ?? '').toLowerCase().includes(term) || String(g.displayName ?? '').toLowerCase().includes(term));
      return {
        total: matching.length,
        offset,
        items: matching.slice(offset, offset + limit).map((g) => ({
          id: String(g.objectId ?? ''),
          displayName: text(g.displayName),
          memberCount: Array.isArray(g.members) ? g.members.length : 0,
        })),
      };
    },

    'canary.preview': async ({ accountId, graphBaseUrl, servicePrincipalId, jobId, snapshotId, revision, user, group }) => {
      const session = ctx.session();
      const snapshot = snapshotId === undefined ? session.latestSnapshot() : session.snapshot(snapshotId);
      const { set: plan, label } = projectMappingSet(session.store, session.projectId, revision);
      const sourceOf = (ref: string) => session.store.getUser(snapshot.id, ref)?.source as SourceObject | undefined;
      let chosenGroup: SourceObject | null = null;
      let users: SourceObject[];
      if (user !== undefined) {
        const source = sourceOf(user);
        if (!source) throw notFound(`No user "${user}" (userPrincipalName or object id) in snapshot ${snapshot.id}`);
        users = [source];
      } else {
        const found = findGroup(session.store.listGroupSources(snapshot.id) as SourceObject[], group!);
        if (!found) throw notFound(`No group "${group}" (displayName or object id) in snapshot ${snapshot.id}`);
        chosenGroup = found;
        try {
          users = canaryMembers(chosenGroup, sourceOf);
        } catch (error) {
          if (error instanceof CanaryGroupError) throw new UserFacingError('invalid-input', error.message);
          throw error;
        }
      }
      const access: GraphAccess = { accountId, ...(graphBaseUrl ? { graphBaseUrl } : {}), synchronization: 'write' };
      const job = { servicePrincipalId, jobId };
      // reads only: the app and the tenant the confirmation names
      const target = await graphCall(() => describeTarget(directory.graphClient(access), job));
      const now = Date.now();
      forget(now);
      const token = randomUUID();
      const expiresAt = now + TOKEN_LIFETIME_MS;
      pending.set(token, { access, job, plan, group: chosenGroup, users, target: { tenant: target.tenant, appName: target.appName }, expiresAt });
      return {
        token,
        expiresAt: new Date(expiresAt).toISOString(),
        tenant: target.tenant,
        appName: target.appName,
        servicePrincipalId,
        jobId,
        mappings: label,
        group: chosenGroup ? { objectId: String(chosenGroup.objectId ?? ''), displayName: text(chosenGroup.displayName) } : null,
        users: users.map((u) => userPreview(plan, u)),
        calls: users.length + (chosenGroup ? 1 : 0),
        budget: BUDGET,
        note: ON_DEMAND_DIALECT_NOTE,
      };
    },

    'canary.run': async ({ token }) => {
      forget(Date.now());
      const canary = pending.get(token);
      if (!canary)
        throw new UserFacingError(
          'confirmation-required',
          'Provision on demand writes to the vendor: preview the canary and confirm it first (this confirmation is unknown, used or older than 10 minutes).',
        );
      // one run per confirmation, even when this one fails
      pending.delete(token);
      const client = directory.graphClient(canary.access);
      const waitedBefore = pacer.waitedMs;
      const result = await graphCall<CanaryResult | GroupCanaryResult>(async () => {
        try {
          return canary.group
            ? await runGroupCanary(client, canary.job, canary.plan, canary.group, canary.users, pacer)
            : await runCanary(client, canary.job, canary.plan, canary.users[0]!, pacer);
        } catch (error) {
          if (error instanceof CanaryTargetError) throw new UserFacingError('invalid-target', error.message);
          throw error;
        }
      });
      const group = 'members' in result ? { objectId: result.group.objectId, displayName: result.group.displayName, entra: answerDto(result.entra) } : null;
      return {
        ...canary.target,
        group,
        users: ('members' in result ? result.members : [result]).map(userResult),
        agrees: result.agrees,
        waitedSeconds: (pacer.waitedMs - waitedBefore) / 1000,
        note: ON_DEMAND_DIALECT_NOTE,
      };
    },
  };
}
