import type { EndpointTarget, HandlersFor } from '../../../shared/api.ts';
import type { endpointCheckMethods } from '../../../shared/api/endpoint-check.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import type { BackendContext } from '../context.ts';
import { draftProfile, hasDiscovery, noDiscoveryMessage, readDiscovery } from '../endpoint-check/discovery.ts';
import { diffAgainstPlan } from '../endpoint-check/plan-diff.ts';
import { endpointCheckFile } from '../endpoint-check/report.ts';
import { EndpointCheckStore } from '../endpoint-check/store.ts';
import { redactCredentials } from '../../../shared/reports/endpoint-check.ts';
import { endpointClient, runEndpointCheck } from '../endpoint-check/run.ts';
import { EndpointCheckInputError } from '../endpoint-check/steps.ts';
import { UserFacingError } from '../errors.ts';
import { TargetUrlError, type ScimClient } from '../provisioning/scim-client.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';

/** The users the plan is compared with: the latest snapshot's first ones (a value check, not a full preview). */
const USERS_FOR_VALUES = 1000;

function clientFor(target: EndpointTarget): ScimClient {
  const { credentials } = target;
  try {
    return endpointClient({
      tenantUrl: target.url,
      auth: credentials.kind === 'bearer'
        ? { kind: 'bearer', token: credentials.token }
        : { kind: 'client-credentials', tokenUrl: credentials.tokenUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret, ...(credentials.scope ? { scope: credentials.scope } : {}) },
    });
  } catch (error) {
    if (error instanceof TargetUrlError) throw new UserFacingError('invalid-target', error.message);
    throw error;
  }
}

/** What the admin typed that must never come back: a vendor may echo it in an error body. */
function secretsOf(target: EndpointTarget): string[] {
  return target.credentials.kind === 'bearer' ? [target.credentials.token] : [target.credentials.clientSecret];
}

/** The "Vendor endpoint" panel's handlers: one check at a time, cancelled (and cleaned up) when the backend closes. */
export function endpointCheckHandlers(ctx: BackendContext): HandlersFor<typeof endpointCheckMethods> {
  let running: AbortController | null = null;
  ctx.onClose(() => running?.abort());

  const plan = () => {
    const session = ctx.session();
    const set = projectMappingSet(session.store, session.projectId).set;
    const snapshot = session.store.listSnapshots(session.projectId)[0];
    const users: SourceObject[] = [];
    if (snapshot) {
      for (const user of session.store.iterateUsers(snapshot.id)) {
        users.push(user.source as SourceObject);
        if (users.length >= USERS_FOR_VALUES) break;
      }
    }
    return { set, users };
  };
  const kept = (session = ctx.session()) => ({ store: new EndpointCheckStore(session.store.db), projectId: session.projectId });

  return {
    async 'endpointCheck.run'({ target, readOnly, dialect, confirmWrites }) {
      if (running) throw new UserFacingError('busy', 'An endpoint check is already running; wait for it or cancel it.');
      const client = clientFor(target);
      if (!readOnly && !confirmWrites) {
        throw new UserFacingError('confirmation-required', `The full check writes to ${client.base}: it creates test users and a test group marked with a run id, changes and deletes them. Confirm it, or run the read-only check.`);
      }
      const { set, users } = plan();
      const compiled = compileMappingSet(set);
      const controller = new AbortController();
      running = controller;
      const secrets = secretsOf(target);
      const session = ctx.session();
      try {
        const result = redactCredentials(
          await runEndpointCheck({
            client, set, readOnly, signal: controller.signal,
            sampleUser: users.find((u) => u.accountEnabled !== false && compiled.scope.inScope(u)),
            ...(dialect ? { dialect } : {}),
            onStep: (step) => ctx.events.emit('endpointCheck.step', redactCredentials(step, secrets)),
          }),
          secrets,
        );
        // kept for the report and the exports, cancelled or not: a partial run is evidence too. After File > Open
        // during the run, the checked workspace is closed and the open one is another project's: only returned.
        if (ctx.session() === session) {
          const { store, projectId } = kept(session);
          store.keep(projectId, result);
        }
        return result;
      } catch (error) {
        if (error instanceof EndpointCheckInputError) throw new UserFacingError('invalid-mappings', error.message);
        throw error;
      } finally {
        running = null;
      }
    },
    'endpointCheck.last'() {
      const { store, projectId } = kept();
      return store.last(projectId);
    },
    'endpointCheck.export'({ format }) {
      const { store, projectId } = kept();
      const result = store.last(projectId);
      if (!result) throw new UserFacingError('not-found', 'No endpoint check has been run for this project yet: run the read-only or the full check first.');
      return { ...endpointCheckFile(result, format), encoding: 'utf8' as const };
    },
    'endpointCheck.cancel'() {
      const cancelled = running !== null;
      running?.abort();
      return { cancelled };
    },
    async 'endpointCheck.discover'({ target }) {
      const client = clientFor(target);
      const discovery = await readDiscovery(client);
      const answers = Object.values(discovery.exchanges);
      if (answers.every((e) => e.status === null)) throw new UserFacingError('unavailable', `${client.base} could not be reached (${answers[0]?.errorMessage ?? 'no answer'}).`);
      const { set, users } = plan();
      const profile = draftProfile(discovery);
      return {
        target: client.base,
        discovered: hasDiscovery(discovery),
        message: hasDiscovery(discovery) ? null : noDiscoveryMessage(discovery),
        profile: profile as unknown as Record<string, unknown>,
        diff: await diffAgainstPlan(profile, set, users),
      };
    },
  };
}
