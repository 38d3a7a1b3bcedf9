import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompareSection, SnapshotComparison, SnapshotSummary } from '../../../shared/api.ts';
import { render, settle } from './render.ts';

type CompareInput = { from: number; to: number; section: CompareSection; offset: number; limit: number };
const compareMock = vi.fn<(input: CompareInput) => Promise<SnapshotComparison>>();
vi.mock('../../../renderer/api-client.ts', () => ({
  api: { 'directory.compareSnapshots': (input: CompareInput) => compareMock(input) },
  onEvent: () => () => undefined,
}));
const { SnapshotCompare } = await import('../../../renderer/tenant/SnapshotCompare.tsx');

const snap = (id: number, label: string): SnapshotSummary => ({
  id,
  projectId: 1,
  label,
  origin: 'graph',
  tenantName: null,
  fetchedAt: '2026-02-01T10:00:00.000Z',
  userCount: 3,
  groupCount: 0,
});
const snapshots = [snap(2, 'Monday'), snap(1, 'Sunday')];
const counts = { added: 1, changed: 1, removed: 150, unchanged: 10 };

function answer(input: CompareInput): SnapshotComparison {
  const base = { from: input.from, to: input.to, counts, section: input.section, offset: input.offset };
  if (input.section === 'changed') {
    return {
      ...base,
      total: 1,
      items: [
        {
          id: 'u1',
          userPrincipalName: 'emma@contoso.com',
          displayName: 'Emma Brown',
          changes: [
            { attribute: 'department', before: 'Sales', after: 'Field Operations' },
            { attribute: 'proxyAddresses', before: ['smtp:a@contoso.com'], after: null },
          ],
        },
      ],
    };
  }
  const all = Array.from({ length: input.section === 'removed' ? 150 : 1 }, (_, i) => ({
    id: `r${i}`,
    userPrincipalName: `user${i}@contoso.com`,
    displayName: `User ${i}`,
    changes: [],
  }));
  return { ...base, total: all.length, items: all.slice(input.offset, input.offset + input.limit) };
}

const tab = (container: HTMLElement, name: string) =>
  [...container.querySelectorAll<HTMLButtonElement>('[role=tab]')].find((b) => b.textContent!.startsWith(name))!;
const click = async (element: HTMLElement) => {
  await act(async () => element.click());
  await settle();
};

describe('SnapshotCompare', () => {
  beforeEach(() => {
    compareMock.mockReset();
    compareMock.mockImplementation(async (input) => answer(input));
  });
  afterEach(() => document.body.replaceChildren());

  it('opens on the changed users with each changed attribute before and after, and counts per tab', async () => {
    const { container } = await render(<SnapshotCompare snapshots={snapshots} initialFrom={1} initialTo={2} onClose={() => undefined} />);
    await settle();
    expect(compareMock).toHaveBeenCalledWith({ from: 1, to: 2, section: 'changed', offset: 0, limit: 100 });
    expect([...container.querySelectorAll('[role=tab]')].map((t) => t.textContent)).toEqual([
      'Added (1)',
      'Changed (1)',
      'Removed (150)',
    ]);
    expect(tab(container, 'Changed').getAttribute('aria-selected')).toBe('true');
    const rows = [...container.querySelectorAll('.attribute-changes tr')].map((tr) => [
      tr.querySelector('th')!.textContent,
      tr.querySelector('.before')!.textContent,
      tr.querySelector('.after')!.textContent,
    ]);
    expect(rows).toEqual([
      ['department', 'Sales', 'Field Operations'],
      ['proxyAddresses', 'smtp:a@contoso.com', '(no value)'],
    ]);
    expect(container.textContent).toContain('10 users unchanged');
  });

  it('switches to removed users and pages through them with Show more', async () => {
    const { container } = await render(<SnapshotCompare snapshots={snapshots} initialFrom={1} initialTo={2} onClose={() => undefined} />);
    await settle();
    await click(tab(container, 'Removed'));
    expect(compareMock).toHaveBeenLastCalledWith({ from: 1, to: 2, section: 'removed', offset: 0, limit: 100 });
    expect(container.querySelectorAll('.compare-user')).toHaveLength(100);
    const more = [...container.querySelectorAll('button')].find((b) => b.textContent!.startsWith('Show more'))!;
    expect(more.textContent).toBe('Show more (50 left)');
    await click(more);
    expect(compareMock).toHaveBeenLastCalledWith({ from: 1, to: 2, section: 'removed', offset: 100, limit: 100 });
    expect(container.querySelectorAll('.compare-user')).toHaveLength(150);
    expect([...container.querySelectorAll('button')].some((b) => b.textContent!.startsWith('Show more'))).toBe(false);
  });

  it('compares other snapshots when the From picker changes', async () => {
    const { container } = await render(<SnapshotCompare snapshots={snapshots} initialFrom={1} initialTo={2} onClose={() => undefined} />);
    await settle();
    const from = container.querySelector<HTMLSelectElement>('select[aria-label=From]')!;
    await act(async () => {
      from.value = '2';
      from.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(compareMock).toHaveBeenLastCalledWith({ from: 2, to: 2, section: 'changed', offset: 0, limit: 100 });
  });
});
