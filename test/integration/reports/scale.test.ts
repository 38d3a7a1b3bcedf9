import { describe, expect, it } from 'vitest';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { entraDefaultSet, renderTextReport, type Report } from '../../../shared/reports/index.ts';
import { buildReport } from '../../../electron/backend/reports/build.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { demoUserCopies } from '../../support/users-files.ts';

const set = entraDefaultSet();
const profile = loadBuiltInProfile('hithrive');

function reportOf(count: number): Promise<Report> {
  const users = [...demoUserCopies(count)].map((user) => graphUserToSource(user));
  return buildReport({ projectName: 'Scale', tenantName: null, mappingLabel: 'Entra default mappings', set, users, profile, options: { generatedAt: '2026-01-01T00:00:00.000Z' } });
}

const FORMATS = ['json', 'md', 'csv', 'html'] as const;

/** Issue 18, "Reports at scale": a report summarises, so its size does not follow the tenant's beyond its counts. */
const small = await reportOf(2_000);
const large = await reportOf(20_000);

describe('a report at ten times the users', () => {

  it('lists the same findings, each with the same bounded sample of users, named as a sample of its count', () => {
    expect(large.meta.users).toBe(20_000);
    const shape = (report: Report) => report.findings.map((f) => [f.severity, f.code, f.attribute, f.examples.length]);
    expect(shape(large)).toEqual(shape(small));
    expect(large.findings.every((f) => f.examples.length <= 3)).toBe(true);
    expect(large.samples.length).toBe(small.samples.length);
    expect(large.coverage.length).toBe(small.coverage.length);
    const guests = large.findings.find((f) => f.code === 'VENDOR_GUEST_USERNAME')!;
    expect(guests.count).toBeGreaterThan(100);
    const markdown = renderTextReport('md', large, set);
    expect(markdown).toContain(`(showing 3 of ${guests.count.toLocaleString('en-US')})`);
  });

  it('renders every format at about the same size and with the same number of lines', () => {
    for (const format of FORMATS) {
      const [a, b] = [renderTextReport(format, small, set) as string, renderTextReport(format, large, set) as string];
      expect(b.split('\n').length, format).toBe(a.split('\n').length);
      // only the counts grow a digit or two, and the sample users' names (copy numbers) a few characters
      expect(Math.abs(b.length - a.length) / a.length, format).toBeLessThan(0.03);
    }
  });
});
