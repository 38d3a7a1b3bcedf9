import { describe, expect, it } from 'vitest';
import { entraDefaultSet, renderHtml, renderMarkdown } from '../../../shared/reports/index.ts';
import { buildReport } from '../../../electron/backend/reports/build.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { demoGroups, demoUsers } from '../../unit/reports/demo.ts';

const set = entraDefaultSet();
const report = await buildReport({ projectName: 'Contoso', tenantName: null, mappingLabel: 'Entra defaults', set, users: demoUsers, groups: demoGroups, profile: loadBuiltInProfile('generic') });

describe('the first cycle forecast in reports', () => {
  it('counts the users the preview provisions, the groups the group mapping provisions and their members', () => {
    const forecast = report.forecast!;
    const enabledUsers = demoUsers.filter((u) => u.accountEnabled !== false).length;
    expect(forecast.users).toBe(enabledUsers);
    expect(forecast.groups).toBe(demoGroups.length);
    expect(forecast.memberships).toBe(demoGroups.reduce((sum, g) => sum + (Array.isArray(g.members) ? g.members.length : 0), 0));
    expect(forecast.minutes.low).toBeCloseTo(forecast.objects * 0.01, 5);
    expect(forecast.minutes.high).toBeCloseTo(forecast.objects * 0.08, 5);
    expect(forecast.requests.POST).toBeGreaterThanOrEqual(enabledUsers);
  });

  it('prints it under the summary in HTML and Markdown', () => {
    const html = renderHtml(report);
    const markdown = renderMarkdown(report);
    expect(html).toContain('<h3>First cycle forecast</h3>');
    expect(html).toContain(`${report.forecast!.objects} objects in scope`);
    expect(markdown).toContain('**First cycle forecast**');
    expect(markdown).toContain('every 40 minutes');
  });
});
