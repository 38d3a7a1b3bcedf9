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

describe('a capped search (the first page of a common word at once, its exact count after)', () => {
  // Blocks of 10 rows handed back out of snapshot order; every row of ordinal divisible by 3 holds "smith".
  const index = new RowFilterIndex();
  const batch = (from: number) => {
    const rows = Array.from({ length: 10 }, (_, i) => row(`u${from + i}`, `${(from + i) % 3 === 0 ? 'smith' : 'jones'}${from + i}@contoso.example`, (from + i) % 2 ? 'update' : 'create', []));
    index.add(rows, rows.map((_, i) => from + i), rows.map(searchText));
  };
  for (const from of [50, 0, 90, 20, 10, 60, 40, 30, 80, 70]) batch(from);
  const all = (term: string, action?: UserAction) => [...(index.matching(action, undefined, term) ?? [])];

  it('stops past the cap with the first matches in snapshot order, the rows counted so far as a lower bound', () => {
    const capped = index.matchingUpTo(undefined, undefined, 'smith', 5)!;
    expect(capped.counting).toBe(true);
    expect(capped.ordinals.length).toBeGreaterThan(5);
    expect(capped.ordinals.length).toBeLessThan(all('smith').length);
    expect([...capped.ordinals.subarray(0, 6)]).toEqual(all('smith').slice(0, 6));
  });

  it('narrows by an action too, and answers exactly when the matches fit under the cap', () => {
    // (a term no search has found yet: the exact answer of the last search is used as it is)
    const capped = index.matchingUpTo('create', undefined, 'contoso', 3)!;
    expect(capped.counting).toBe(true);
    expect([...capped.ordinals.subarray(0, 4)]).toEqual(all('contoso', 'create').slice(0, 4));
    const exact = index.matchingUpTo(undefined, undefined, 'smith', 1000)!;
    expect(exact).toEqual({ ordinals: Int32Array.from(all('smith')), counting: false });
    expect(index.matchingUpTo(undefined, undefined, 'nobody', 5)).toEqual({ ordinals: new Int32Array(0), counting: false });
    expect(index.matchingUpTo('create', undefined, '', 5)!.counting).toBe(false);
  });

  it('answers a term the last (exact) search found from it, uncapped', () => {
    expect(all('jones').length).toBe(66);
    expect(index.matchingUpTo(undefined, undefined, 'jones', 5)).toEqual({ ordinals: Int32Array.from(all('jones')), counting: false });
  });
});
