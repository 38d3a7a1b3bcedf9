import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PreviewRunner } from '../../../electron/backend/preview/runner.ts';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { indexRowOf, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { UserAction } from '../../../shared/preview/types.ts';
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
});
