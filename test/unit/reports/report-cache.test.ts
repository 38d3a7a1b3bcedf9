import { describe, expect, it } from 'vitest';
import { ReportCache, reportKey } from '../../../electron/backend/reports/report-cache.ts';
import type { Report } from '../../../shared/reports/index.ts';

const report = (name: string) => ({ meta: { projectName: name } }) as unknown as Report;

describe('ReportCache', () => {
  it('builds once per key, shares a build still running, and keeps the most recently used', async () => {
    const cache = new ReportCache(2);
    let builds = 0;
    const build = (name: string) => () => {
      builds++;
      return Promise.resolve(report(name));
    };
    const [a, again] = await Promise.all([cache.report('a', build('a')), cache.report('a', build('a'))]);
    expect(again).toBe(a);
    expect(builds).toBe(1);
    await cache.report('b', build('b'));
    await cache.report('a', build('a')); // a used last: b is now the oldest
    await cache.report('c', build('c'));
    expect(builds).toBe(3);
    await cache.report('a', build('a'));
    expect(builds).toBe(3);
    await cache.report('b', build('b'));
    expect(builds).toBe(4);
  });

  it('does not keep a build that failed', async () => {
    const cache = new ReportCache();
    await expect(cache.report('a', () => Promise.reject(new Error('the workspace was closed')))).rejects.toThrow('closed');
    const built = await cache.report('a', () => Promise.resolve(report('a')));
    expect(built.meta.projectName).toBe('a');
  });

  it('keys a report by its inputs and the snapshot’s stamp', () => {
    const input = { projectName: 'p', tenantName: null, mappingLabel: 'm' } as unknown as Parameters<typeof reportKey>[0];
    const stamp = { snapshotId: 1, fetchedAt: '2026-12-06T00:00:00Z', userCount: 10 };
    expect(reportKey(input, stamp)).toBe(reportKey({ ...input }, { ...stamp }));
    expect(reportKey(input, { ...stamp, fetchedAt: '2026-12-06T00:00:01Z' })).not.toBe(reportKey(input, stamp));
    expect(reportKey({ ...input, projectName: 'q' }, stamp)).not.toBe(reportKey(input, stamp));
  });
});
