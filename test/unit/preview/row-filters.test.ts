import { describe, expect, it } from 'vitest';
import { RowFilterIndex } from '../../../electron/backend/preview/row-filters.ts';
import { searchText } from '../../../electron/backend/preview/row-store.ts';
import type { PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { UserAction } from '../../../shared/preview/types.ts';

function row(id: string, upn: string, action: UserAction, codes: string[]): PreviewIndexRow {
  return { id, userPrincipalName: upn, displayName: `Name ${id}`, action, reason: null, inScope: true, errors: 0, warnings: 0, requestCount: 1, codes };
}

describe("the Preview table's filter index (a million rows filtered in the backend's memory)", () => {
  // Two batches handed back out of snapshot order, as two chunks interleave theirs.
  const index = new RowFilterIndex();
  const later = [row('c', 'anna.anna@contoso.example', 'create', ['W']), row('d', 'dan@contoso.example', 'skip', [])];
  const first = [row('a', 'ann@contoso.example', 'create', ['W', 'E']), row('b', 'bob@fabrikam.example', 'update', ['E'])];
  index.add(later, [2, 3], later.map(searchText));
  index.add(first, [0, 1], first.map(searchText));

  it('answers each filter in snapshot order, and several as their intersection', () => {
    expect(index.matching(undefined, undefined, '')).toBeNull();
    expect([...index.matching('create', undefined, '')!]).toEqual([0, 2]);
    expect([...index.matching(undefined, 'E', '')!]).toEqual([0, 1]);
    expect([...index.matching('create', 'E', '')!]).toEqual([0]);
    expect([...index.matching('delete', undefined, '')!]).toEqual([]);
    expect([...index.matching(undefined, 'NONE', '')!]).toEqual([]);
    expect(index.actionCount('create')).toBe(2);
  });

  it('counts a row once however often the term is in it, finds the last row of a block, never spans two rows', () => {
    expect([...index.matching(undefined, undefined, 'ann')!]).toEqual([0, 2]);
    expect([...index.matching(undefined, undefined, 'name d')!]).toEqual([3]);
    expect([...index.matching(undefined, undefined, 'contoso')!]).toEqual([0, 2, 3]);
    // the end of one row's text and the start of the next's
    expect([...index.matching(undefined, undefined, 'name c\u0000dan')!]).toEqual([]);
    expect([...index.matching('skip', undefined, 'contoso')!]).toEqual([3]);
  });

  it('takes codes found after the pass', () => {
    index.addCode('DUP', 3);
    index.addCode('DUP', 1);
    expect([...index.matching(undefined, 'DUP', '')!]).toEqual([1, 3]);
  });
});

describe("the filter index's last search", () => {
  it('answers the same term again from the last search, and rows added since are searched too', () => {
    const index = new RowFilterIndex();
    const first = [row('a', 'ann@contoso.example', 'create', [])];
    index.add(first, [0], first.map(searchText));
    expect([...index.matching(undefined, undefined, 'contoso')!]).toEqual([0]);
    expect([...index.matching(undefined, undefined, 'contoso')!]).toEqual([0]);
    const leaver = [row('z', 'zed@contoso.example', 'delete', [])];
    index.add(leaver, [1], leaver.map(searchText));
    expect([...index.matching(undefined, undefined, 'contoso')!]).toEqual([0, 1]);
  });
});
