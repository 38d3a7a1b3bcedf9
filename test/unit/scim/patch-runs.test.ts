import { describe, expect, it } from 'vitest';
import { MODE_DIALECTS } from '../../../electron/backend/mock-server/modes.ts';
import { applyPatch, type PatchContext, type PatchOperation } from '../../../shared/scim/patch.ts';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../shared/scim/schemas.ts';

/**
 * Runs of adds and filtered removals use indexes that live for one applyPatch run (issue 19); whatever
 * follows in the same PATCH must see exactly the state the operations one by one would leave.
 */

const entra = MODE_DIALECTS.entra;
const contextFor = (type: PatchContext['type']): PatchContext => ({
  type,
  dialect: entra.patch,
  values: { ...entra.values, unsupportedAttributes: 'ignore', customExtensions: 'store' },
});
const group = { displayName: 'Sales', members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };

describe('operation runs in one PATCH', () => {
  it('removing every member by filter leaves no members attribute', () => {
    const operations: PatchOperation[] = ['c', 'a', 'b'].map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }));
    expect(applyPatch(group, operations, contextFor(GROUP_RESOURCE_TYPE))).toEqual({ displayName: 'Sales' });
  });

  it('an add after filtered removals sees the removals, and a removal after adds sees the adds', () => {
    const operations: PatchOperation[] = [
      { op: 'remove', path: 'members[value eq "a"]' },
      { op: 'remove', path: 'members[value eq "B"]' },
      { op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'd' }] },
      { op: 'remove', path: 'members[value eq "d"]' },
      { op: 'add', path: 'members', value: [{ value: 'c' }] },
    ];
    // members.value is caseExact (an id): "B" does not remove b; the index must not widen the filter.
    expect(applyPatch(group, operations, contextFor(GROUP_RESOURCE_TYPE)).members).toEqual([{ value: 'b' }, { value: 'c' }, { value: 'a' }]);
  });

  it('a new primary clears the one before it, and re-adding an element already held is a no-op', () => {
    const user = { userName: 'u', emails: [{ value: 'a@x.y', primary: true }] };
    const operations: PatchOperation[] = [
      { op: 'add', path: 'emails', value: [{ value: 'b@x.y', primary: true }] },
      { op: 'add', path: 'emails', value: [{ value: 'a@x.y', primary: false }] },
      { op: 'add', path: 'emails', value: [{ value: 'b@x.y', primary: true }] },
    ];
    expect(applyPatch(user, operations, contextFor(USER_RESOURCE_TYPE)).emails).toEqual([
      { value: 'a@x.y', primary: false },
      { value: 'b@x.y', primary: true },
    ]);
  });
});
