import { describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { PreviewChunk, sourcesById } from '../../../shared/preview/chunk.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { coverageOf, FindingGroups } from '../../../shared/preview/summary.ts';
import { adele, defaultTemplate, megan, source } from './helpers.ts';

const users: SourceObject[] = [
  source(adele),
  source(megan),
  source({ ...megan, id: '33333333-3333-4333-8333-333333333333', userPrincipalName: 'off@contoso.com', accountEnabled: false }),
  source({ ...megan, id: '44444444-4444-4444-8444-444444444444', userPrincipalName: 'nodept@contoso.com', department: null }),
];

function chunkOf(set = defaultTemplate(), list = users) {
  const chunk = new PreviewChunk(compileMappingSet(set), list, sourcesById(list), new Map(), false);
  chunk.setProvisioned(new Map(chunk.provisioned()));
  chunk.previewRange(0, chunk.size);
  return chunk;
}

describe('a preview chunk keeps index rows and recomputes full previews on demand', () => {
  it('its rows and recomputed previews match the whole-snapshot preview', () => {
    const expected = previewSnapshot({ set: defaultTemplate(), users });
    const chunk = chunkOf();
    expect(chunk.rows.map((r) => [r.id, r.action, r.requestCount])).toEqual(expected.users.map((u) => [u.id, u.action, u.requests.length]));
    expect(JSON.parse(JSON.stringify(chunk.get(null)))).toEqual(JSON.parse(JSON.stringify(expected.users)));
    expect(chunk.rows.find((r) => r.userPrincipalName === 'off@contoso.com')).toMatchObject({ action: 'skip', displayName: 'Megan Bowen' });
  });

  it('answers single users by id, and nothing for an unknown id', () => {
    const chunk = chunkOf();
    expect(chunk.get([megan.id, 'nobody']).map((u) => u.userPrincipalName)).toEqual(['megan.bowen@contoso.com']);
  });

  it('counts coverage per target: value, empty, null and error over the evaluated users', () => {
    const chunk = chunkOf();
    const coverage = coverageOf(compileMappingSet(defaultTemplate()), chunk.stats);
    const evaluated = chunk.stats.evaluated;
    expect(evaluated).toBe(3); // the disabled user is skipped before evaluation
    const department = coverage.find((c) => c.target.endsWith(':department'))!;
    expect(department).toMatchObject({ value: 1, null: 2, empty: 0, error: 0 });
    expect(coverage.find((c) => c.target === 'userName')).toMatchObject({ value: 3, null: 0 });
  });
});

describe('finding groups', () => {
  it('group by code and attribute, count users, prefer the mapping-level message, and merge across chunks', () => {
    const a = new FindingGroups();
    a.add({ severity: 'warning', code: 'X', attribute: 'title', userId: 'u1', message: 'u1 has no title' });
    a.add({ severity: 'error', code: 'X', attribute: 'title', userId: 'u2', message: 'u2 has no title', fix: 'fill it' });
    const b = new FindingGroups();
    b.add({ severity: 'warning', code: 'X', attribute: 'title', message: '3 users have no title' });
    b.add({ severity: 'warning', code: 'X', attribute: 'title', userId: 'u3', message: 'u3 has no title' });
    b.add({ severity: 'info', code: 'Y', message: 'about the set' });
    a.merge(b.partials());
    expect(a.list()).toEqual([
      { code: 'X', severity: 'error', attribute: 'title', count: 3, message: '3 users have no title', fix: 'fill it', exampleUserIds: ['u1', 'u2', 'u3'] },
      { code: 'Y', severity: 'info', attribute: null, count: 1, message: 'about the set', fix: null, exampleUserIds: [] },
    ]);
  });
});
