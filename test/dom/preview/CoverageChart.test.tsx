import { afterEach, describe, expect, it } from 'vitest';
import { CoverageChart, shortTarget } from '../../../renderer/preview/CoverageChart.tsx';
import { cleanup, render } from './render.tsx';
import { summary } from './fixtures.ts';

afterEach(cleanup);

describe('CoverageChart', () => {
  it('draws one stacked bar per target, each segment as wide as its share', async () => {
    const view = await render(<CoverageChart rows={summary().coverage} />);
    const rows = [...view.querySelectorAll('g.coverage-row')];
    expect(rows).toHaveLength(2);
    const widths = (row: Element) =>
      Object.fromEntries(
        [...row.querySelectorAll('rect:not(.coverage-track)')].map((r) => [r.getAttribute('class'), Number(r.getAttribute('width'))]),
      );
    expect(widths(rows[0]!)).toEqual({ 'coverage-value': 300 });
    // title: 600 value, 100 empty, 250 null, 50 error of 1000 over a 300-unit bar
    expect(widths(rows[1]!)).toEqual({ 'coverage-value': 180, 'coverage-empty': 30, 'coverage-null': 75, 'coverage-error': 15 });
    expect(rows[1]!.querySelector('.coverage-percent')!.textContent).toBe('60% value');
    expect(rows[1]!.querySelector('title')!.textContent).toBe('title: value 600, empty string 100, null (omitted) 250, error 50');
  });

  it('backs the colours with a legend in words and a table of exact numbers', async () => {
    const view = await render(<CoverageChart rows={summary().coverage} />);
    expect([...view.querySelectorAll('.coverage-legend li')].map((li) => li.textContent!.trim())).toEqual(['Value', 'Empty string', 'Null (omitted)', 'Error']);
    const titleRow = [...view.querySelectorAll('.coverage-table tbody tr')][1]!;
    expect([...titleRow.children].map((c) => c.textContent)).toEqual(['title', '600', '100', '250', '50']);
  });

  it('keeps the distinctive tail of long URN targets', () => {
    expect(shortTarget('urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date')).toBe('…:hire_date');
    expect(shortTarget('name.givenName')).toBe('name.givenName');
  });

  it('says so when nothing is mapped', async () => {
    const view = await render(<CoverageChart rows={[]} />);
    expect(view.textContent).toBe('No target attributes are mapped.');
  });
});
