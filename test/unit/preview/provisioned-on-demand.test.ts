import { describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { sourcesById } from '../../../shared/preview/chunk.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { provisionedTargetId } from '../../../shared/preview/engine.ts';
import { ProvisionedOnDemand } from '../../../shared/preview/provisioned-on-demand.ts';
import type { PreviousState } from '../../../shared/preview/types.ts';
import { adele, defaultTemplate, megan, source } from './helpers.ts';

const disabled = source({ ...megan, id: '33333333-3333-4333-8333-333333333333', userPrincipalName: 'off@contoso.com', accountEnabled: false });
const users: SourceObject[] = [source(adele), source(megan), disabled];
const compiled = compileMappingSet(defaultTemplate());

/** The users by id, counting the reads (a worker's read of the workspace file). */
function counted(list: SourceObject[]) {
  const byId = sourcesById(list);
  const reads: string[] = [];
  return { reads, lookup: { source: (id: string) => (reads.push(id), byId.source(id)) } };
}

describe('provisioned users found on demand', () => {
  it('answers as a map of every user\'s provisionedTargetId, reading only users outside the batch, each once', () => {
    const previous: PreviousState = new Map();
    const { reads, lookup } = counted(users);
    const managers = new ProvisionedOnDemand(compiled, previous, lookup);
    const batch = [users[0]!];
    managers.meet(batch, [[String(adele.id), provisionedTargetId(compiled, batch[0]!, undefined)!]]);
    expect(managers.get(adele.id)).toBe('{id:adele.vance@contoso.com}');
    expect(managers.get(megan.id)).toBe('{id:megan.bowen@contoso.com}');
    expect(managers.get(megan.id)).toBe('{id:megan.bowen@contoso.com}');
    // Disabled and not provisioned before: no target id; a user the snapshot does not hold: none either.
    expect(managers.get(String(disabled.objectId))).toBeUndefined();
    expect(managers.get('nobody')).toBeUndefined();
    expect(managers.get('nobody')).toBeUndefined();
    expect(reads).toEqual([megan.id, disabled.objectId, 'nobody']);
  });

  it('answers from the batch before the current one without reading the file, and reads a user two batches back', () => {
    const { reads, lookup } = counted(users);
    const managers = new ProvisionedOnDemand(compiled, new Map(), lookup);
    const provisionedIn = (batch: SourceObject[]) => batch.map((user) => [String(user.objectId), provisionedTargetId(compiled, user, undefined)!] as const);
    managers.meet([users[0]!], provisionedIn([users[0]!]));
    managers.meet([users[1]!], provisionedIn([users[1]!]));
    // Adele was met in the batch before (a manager just before its reports' batch); the disabled user, met and not provisioned.
    expect(managers.get(adele.id)).toBe('{id:adele.vance@contoso.com}');
    managers.meet([disabled], []);
    expect(managers.get(String(disabled.objectId))).toBeUndefined();
    expect(managers.get(megan.id)).toBe('{id:megan.bowen@contoso.com}');
    expect(reads).toEqual([]);
    managers.meet([], []);
    managers.meet([], []);
    // Two batches on, Megan's answer is kept (asked above); the disabled user's too: nothing is read again.
    expect(managers.get(megan.id)).toBe('{id:megan.bowen@contoso.com}');
    expect(managers.get(String(disabled.objectId))).toBeUndefined();
    expect(reads).toEqual([]);
    // A user met two batches back and not asked for then is read by id.
    const later = counted(users);
    const fresh = new ProvisionedOnDemand(compiled, new Map(), later.lookup);
    fresh.meet([users[0]!], provisionedIn([users[0]!]));
    fresh.meet([], []);
    fresh.meet([], []);
    expect(fresh.get(adele.id)).toBe('{id:adele.vance@contoso.com}');
    expect(later.reads).toEqual([adele.id]);
  });

  it('gives a user provisioned before the target id it had then, and stays right when it forgets answers past its bound', () => {
    const previous: PreviousState = new Map([[String(disabled.objectId), { targetId: 'held-7', resource: { id: 'held-7' }, source: disabled }]]);
    const { reads, lookup } = counted(users);
    const managers = new ProvisionedOnDemand(compiled, previous, lookup, 2);
    managers.meet([], []);
    for (let round = 0; round < 2; round++) {
      expect(managers.get(String(disabled.objectId))).toBe('held-7');
      expect(managers.get(megan.id)).toBe('{id:megan.bowen@contoso.com}');
      expect(managers.get(adele.id)).toBe('{id:adele.vance@contoso.com}');
    }
    // Two answers kept at most: each third one clears them, so the second round reads every user again.
    expect(reads).toEqual([disabled.objectId, megan.id, adele.id, disabled.objectId, megan.id, adele.id]);
  });
});
