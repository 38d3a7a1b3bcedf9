import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { methods } from '../../../shared/api.ts';
import { RevisionDiff } from '../../../renderer/preview/RevisionDiff.tsx';
import { byText, changeValue, cleanup, click, render, settle } from './render.tsx';
import { callsOf, resetFakeApi, setHandler } from './fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('./fake-api.ts'));

const comparison = methods['preview.compareRevisions'].output.parse({
  changedUsers: 120,
  users: [
    {
      id: 'u-1',
      userPrincipalName: 'adele@contoso.test',
      changes: [
        { attribute: 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date', from: null, to: '2021-03-01' },
        { attribute: 'active', from: 'True', to: true },
      ],
    },
  ],
});

beforeEach(() => {
  resetFakeApi();
  setHandler('preview.compareRevisions', () => comparison);
  setHandler('mappings.listRevisions', () =>
    [1, 2, 3, 4, 5].map((revision) => ({ revision, label: `Saved ${revision}`, createdAt: '2025-01-01T00:00:00.000Z' })),
  );
});
afterEach(cleanup);

describe('RevisionDiff', () => {
  it('proposes the last step (previous → newest revision) and compares it', async () => {
    const view = await render(<RevisionDiff snapshotId={3} vendorId="hithrive" latestRevision={5} />);
    await settle();
    const [from, to] = [...view.querySelectorAll('select')];
    expect([from!.value, to!.value]).toEqual(['4', '5']);
    expect([...from!.options].map((o) => o.textContent)).toEqual(['1 — Saved 1', '2 — Saved 2', '3 — Saved 3', '4 — Saved 4', '5 — Saved 5']);
    await click(byText(view, 'button', 'Compare'));
    await settle();
    expect(callsOf('preview.compareRevisions')).toEqual([{ snapshotId: 3, vendorId: 'hithrive', fromRevision: 4, toRevision: 5 }]);
    expect(view.querySelector('.revision-result p')!.textContent).toBe('120 users’ payloads change (the first 1 are shown).');
    const cells = [...view.querySelectorAll('.diff-table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(cells).toEqual([
      ['urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date', 'null', '"2021-03-01"'],
      ['active', '"True"', 'true'],
    ]);
  });

  it('compares any two revisions the admin types, and refuses a revision compared with itself', async () => {
    const view = await render(<RevisionDiff snapshotId={3} vendorId="generic" latestRevision={5} />);
    await settle();
    const [from, to] = [...view.querySelectorAll('select')];
    await changeValue(from!, '2');
    await changeValue(to!, '2');
    expect(byText(view, 'button', 'Compare')!.hasAttribute('disabled')).toBe(true);
    await changeValue(to!, '5');
    await click(byText(view, 'button', 'Compare'));
    await settle();
    expect(callsOf('preview.compareRevisions')[0]).toMatchObject({ fromRevision: 2, toRevision: 5 });
  });

  it('explains that nothing can be compared before a revision is saved', async () => {
    const view = await render(<RevisionDiff snapshotId={3} vendorId="generic" latestRevision={null} />);
    expect(view.querySelector('select')).toBeNull();
    expect(view.textContent).toMatch(/No mapping revision is saved yet/);
  });

  it('still offers the revision numbers when their labels cannot be read', async () => {
    setHandler('mappings.listRevisions', () => {
      throw new Error('workspace busy');
    });
    const view = await render(<RevisionDiff snapshotId={3} vendorId="generic" latestRevision={3} />);
    await settle();
    expect([...view.querySelector('select')!.options].map((o) => o.textContent)).toEqual(['1', '2', '3']);
  });

  it('shows the backend’s message when the comparison fails', async () => {
    setHandler('preview.compareRevisions', () => {
      throw new Error('Revision 4 does not exist in this project.');
    });
    const view = await render(<RevisionDiff snapshotId={3} vendorId="generic" latestRevision={5} />);
    await click(byText(view, 'button', 'Compare'));
    await settle();
    expect(view.querySelector('.error-text')!.textContent).toBe('Revision 4 does not exist in this project.');
  });
});
