import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODE_DIALECTS } from '../../../../electron/backend/mock-server/modes.ts';
import { graphUserToSource, type GraphUser } from '../../../../shared/directory/graph-to-source.ts';
import { importMappingSet, type MappingSet } from '../../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../../shared/preview/run.ts';
import type { UserPreview } from '../../../../shared/preview/types.ts';
import { applyPatch, parsePatchRequest, type PatchContext } from '../../../../shared/scim/patch.ts';
import { USER_RESOURCE_TYPE } from '../../../../shared/scim/schemas.ts';
import { normalizeResource, type Json } from '../../../../shared/scim/schemas-values.ts';
import type { ScimDialect } from '../../../../shared/scim/requests/wire.ts';

/**
 * Property (issue 17): what the preview says the vendor holds after a cycle is what the mock server's PATCH
 * applier makes of the preview's own requests. For every demo-tenant user, every built-in template and both
 * Entra dialects, the POST body (or the previous cycle's target) replayed through applyPatch with the
 * preview's PATCHes equals the preview's target object, both read as a vendor stores them.
 */

const templatesDir = new URL('../../../../resources/templates/', import.meta.url);
const demoUsers = (JSON.parse(readFileSync(new URL('../../../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;

function templates(): Array<{ name: string; set: MappingSet }> {
  return readdirSync(templatesDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const result = importMappingSet(JSON.parse(readFileSync(new URL(file, templatesDir), 'utf8')));
      if (!result.ok) throw new Error(`${file}: ${result.issues.join('; ')}`);
      return { name: file, set: result.set };
    });
}

const entra = MODE_DIALECTS.entra;
const context: PatchContext = {
  type: USER_RESOURCE_TYPE,
  dialect: entra.patch,
  values: { ...entra.values, unsupportedAttributes: 'ignore', customExtensions: 'store' },
};

/** The resource as a vendor stores it: canonical names and types, no id or meta. */
const stored = (resource: unknown): Json => normalizeResource(resource, USER_RESOURCE_TYPE, context.values);

/** Replays a user's POST (or starts from what the vendor held) and PATCHes through the one applier. */
function replay(user: UserPreview, held: Json | undefined): Json {
  let resource = held ?? {};
  for (const request of user.requests) {
    if (request.method === 'POST') resource = stored(request.body);
    if (request.method === 'PATCH') resource = applyPatch(resource, parsePatchRequest(request.body, context.dialect), context);
  }
  return resource;
}

/** A second cycle's tenant: every third user renamed and re-titled, every fifth disabled, every seventh without a manager. */
function changed(users: readonly GraphUser[]): GraphUser[] {
  return users.map((user, index) => {
    const next: GraphUser = { ...user };
    if (index % 3 === 0) {
      next.givenName = `${user.givenName ?? 'Given'}-renamed`;
      next.jobTitle = 'Changed title';
      next.mail = `changed.${index}@contoso.com`;
      next.businessPhones = ['+1 425 555 9999'];
    }
    if (index % 5 === 0) next.accountEnabled = false;
    if (index % 7 === 0) delete next.manager;
    return next;
  });
}

describe('the preview target equals the replay of its requests through applyPatch', () => {
  for (const { name, set } of templates()) {
    for (const dialect of ['default', 'aadOptscim062020'] as ScimDialect[]) {
      it(`${name}, ${dialect}: first cycle (POST and manager PATCH) for every demo user`, () => {
        const users = demoUsers.map((user) => graphUserToSource(user));
        const result = previewSnapshot({ set, users, dialect });
        const created = result.users.filter((user) => user.action === 'create');
        expect(created.length).toBeGreaterThan(100);
        for (const user of created) expect(replay(user, undefined), user.userPrincipalName ?? user.id).toEqual(stored(user.target));
      });

      it(`${name}, ${dialect}: second cycle (PATCHes of changed users) for every demo user`, () => {
        const first = previewSnapshot({ set, users: demoUsers.map((user) => graphUserToSource(user)), dialect });
        const heldById = new Map(first.users.map((user) => [user.id, user.target ? stored(user.target) : undefined]));
        const result = previewSnapshot({
          set,
          users: changed(demoUsers).map((user) => graphUserToSource(user)),
          previousUsers: demoUsers.map((user) => graphUserToSource(user)),
          dialect,
        });
        const updated = result.users.filter((user) => user.action === 'update' || user.action === 'deactivate');
        expect(updated.length).toBeGreaterThan(50);
        for (const user of updated) {
          expect(replay(user, heldById.get(user.id)), user.userPrincipalName ?? user.id).toEqual(stored(user.target));
        }
      });
    }
  }
});
