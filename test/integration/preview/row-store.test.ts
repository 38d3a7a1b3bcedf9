import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PreviewRunner } from '../../../electron/backend/preview/runner.ts';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { indexRowOf, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { UserAction } from '../../../shared/preview/types.ts';
import { fnv1a } from '../../../electron/backend/preview/row-batch.ts';
import { PreviewRowStore } from '../../../electron/backend/preview/row-store.ts';
import { demoUserCopies } from '../../support/users-files.ts';

function template(): MappingSet {
  const result = importMappingSet(JSON.parse(readFileSync(new URL('../../../resources/templates/entra-scim-default.schema.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.set;
}

/** The Preview table's filter as it was decided over rows in memory: the reference the row store must agree with. */
function inMemory(rows: readonly PreviewIndexRow[], filter: { action?: UserAction; findingCode?: string; search?: string }): PreviewIndexRow[] {
  const term = (filter.search ?? '').trim().toLowerCase();
  return rows.filter(
    (row) =>
      (filter.action === undefined || row.action === filter.action) &&
      (filter.findingCode === undefined || row.codes.includes(filter.findingCode)) &&
      (term === '' || (row.userPrincipalName ?? '').toLowerCase().includes(term) || (row.displayName ?? '').toLowerCase().includes(term)),
  );
}

describe('the preview run\'s row stores (a SQLite file, or memory for small runs) page, filter and search as the rows in memory would', () => {
  it.each([
    ['the SQLite file', 0],
    ['memory', Number.POSITIVE_INFINITY],
  ])('%s agrees with the in-memory preview on every filter and page, for 3,000 users previewed in workers', async (_, rowsInMemoryUpTo) => {
    const users: SourceObject[] = [...demoUserCopies(3000)].map((raw) => graphUserToSource(raw));
    const set = template();
    const expected = previewSnapshot({ set, users }).users.map((user, i) => indexRowOf(user, users[i]));
    const runner = new PreviewRunner({ workers: 2, inProcessBelow: 0, rowsInMemoryUpTo });
    const session = await runner.start({ set, users });
    try {
      expect(session.indexRows()).toEqual(expected);
      expect(session.indexRows(2990, 25)).toEqual(expected.slice(2990));
      const codes = [...new Set(expected.flatMap((row) => row.codes))];
      expect(codes.length).toBeGreaterThan(0);
      const filters: Array<{ action?: UserAction; findingCode?: string; search?: string }> = [
        {},
        { action: 'create' },
        { action: 'skip' },
        { action: 'delete' },
        ...codes.map((findingCode) => ({ findingCode })),
        { search: 'ADELE' },
        { search: '  .3@ ' },
        { search: 'no such user' },
        { action: 'create', search: '.1', findingCode: codes[0]! },
        // a prefix of a code is not that code
        { findingCode: codes[0]!.slice(0, 4) },
      ];
      for (const filter of filters) {
        const all = inMemory(expected, filter);
        for (const [offset, limit] of [[0, 25], [7, 200], [1000, 50], [all.length - 3, 10]] as const) {
          const page = session.pageRows(filter, Math.max(0, offset), limit);
          expect(page.total, JSON.stringify(filter)).toBe(all.length);
          expect(page.rows, `${JSON.stringify(filter)} at ${offset}`).toEqual(all.slice(Math.max(0, offset), Math.max(0, offset) + limit));
        }
      }
      // Findings added after the pass (the vendor's duplicates) change the row's counts and its codes, filter included.
      const target = expected[42]!;
      session.addUserFindings(target.id, [{ severity: 'error', code: 'VENDOR_DUPLICATE_VALUE', message: 'duplicate', userId: target.id }]);
      expect(session.rowOf(target.id)).toEqual({ ...target, errors: target.errors + 1, codes: [...target.codes, 'VENDOR_DUPLICATE_VALUE'] });
      expect(session.pageRows({ findingCode: 'VENDOR_DUPLICATE_VALUE' }, 0, 10).rows.map((row) => row.id)).toEqual([target.id]);
    } finally {
      await session.close();
      await runner.close();
    }
  });

  it('the SQLite file tells apart users whose ids share a hash, and keeps any character of a name', () => {
    // Two ids with the same FNV-1a hash: the file indexes the hashes and must compare the ids themselves.
    const [first, second] = ['user-129599', 'user-732382'];
    expect(fnv1a(first)).toBe(fnv1a(second));
    const row = (id: string, displayName: string): PreviewIndexRow => ({
      id,
      userPrincipalName: `${id}@contoso.com`,
      displayName,
      action: 'create',
      reason: null,
      inScope: true,
      errors: 0,
      warnings: 1,
      requestCount: 1,
      codes: ['ATTRIBUTE_EMPTY'],
    });
    const rows = [row(first, 'Tab\there, "quoted" \\ and\nnewline'), row(second, 'Zoë \u0000 Ünïcode 🎉')];
    const store = new PreviewRowStore();
    try {
      store.add({ rows, ordinals: [0, 1] }, 3);
      store.finish();
      expect(store.row(first)).toEqual(rows[0]);
      expect(store.row(second)).toEqual(rows[1]);
      expect(store.chunkOf(second)).toBe(3);
      expect(store.has('user-0')).toBe(false);
      store.addFindings(second, [{ severity: 'error', code: 'VENDOR_DUPLICATE_VALUE', message: 'duplicate', userId: second }]);
      expect(store.row(first)).toEqual(rows[0]);
      expect(store.row(second)).toEqual({ ...rows[1], errors: 1, codes: ['ATTRIBUTE_EMPTY', 'VENDOR_DUPLICATE_VALUE'] });
      expect(store.page({ findingCode: 'VENDOR_DUPLICATE_VALUE' }, 0, 10).rows.map((found) => found.id)).toEqual([second]);
      expect(store.page({ search: 'zoë' }, 0, 10).rows).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('the SQLite file pages rows in snapshot order when their ordinals have gaps and batches arrive out of order', () => {
    const row = (n: number): PreviewIndexRow => ({
      id: `user-${n}`,
      userPrincipalName: `user.${n}@contoso.com`,
      displayName: `User ${n}`,
      action: n % 2 === 0 ? 'create' : 'skip',
      reason: null,
      inScope: true,
      errors: 0,
      warnings: 0,
      requestCount: 1,
      codes: [],
    });
    const later = [30, 32, 34, 35].map(row);
    const first = [0, 3, 6, 9, 12].map(row);
    const store = new PreviewRowStore();
    try {
      store.add({ rows: later, ordinals: [30, 32, 34, 35] }, 1);
      store.add({ rows: first, ordinals: [0, 3, 6, 9, 12] }, 0);
      store.finish();
      const all = [...first, ...later];
      expect(store.size).toBe(9);
      expect(store.nextOrdinal()).toBe(36);
      expect(store.rows()).toEqual(all);
      expect(store.rows(4, 3)).toEqual(all.slice(4, 7));
      expect(store.rows(8)).toEqual(all.slice(8));
      expect(store.rows(9)).toEqual([]);
      expect(store.page({ action: 'skip' }, 1, 5)).toEqual({ total: 3, rows: [row(9), row(35)] });
      expect(store.page({ search: 'user.3' }, 0, 10).rows).toEqual([row(3), row(30), row(32), row(34), row(35)]);
      expect([store.chunkOf('user-12'), store.chunkOf('user-34'), store.chunkOf('user-1')]).toEqual([0, 1, undefined]);
    } finally {
      store.close();
    }
  });
});
