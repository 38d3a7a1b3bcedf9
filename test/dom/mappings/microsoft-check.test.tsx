import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MappingsScreen } from '../../../renderer/screens/MappingsScreen.tsx';
import { useMappingsStore } from '../../../renderer/state/mappings.ts';
import type { MappingCheckDto } from '../../../shared/api.ts';
import { byLabel, click, installFakeBackend, mount, PlainExpressionInput, settle, type, type FakeBackend, type Mounted } from './support.tsx';

const counts = (agree: number, differ: number) => ({ agree, differ, 'entra-refused': 0, 'ours-refused': 0, 'both-refused': 0 });

/** What `scim-planner verify --workspace` kept for revision 1 of Entra's default mappings. */
const CHECK: MappingCheckDto = {
  revision: 1,
  checkedAt: '2026-12-01T00:00:00Z',
  jobId: 'scim.job',
  complete: true,
  rows: [
    { targetAttribute: 'active', expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', counts: counts(6, 0), example: null },
    { targetAttribute: 'displayName', expression: '[displayName]', counts: counts(5, 1), example: { userPrincipalName: 'zoe@contoso.com', verdict: 'differ', ours: '["Zoë Adams"]', entra: '["Zoe Adams"]' } },
    // checked with another expression than the row has now: no badge
    { targetAttribute: 'title', expression: 'ToUpper([jobTitle])', counts: counts(6, 0), example: null },
  ],
};

describe('Mappings screen: checked with Microsoft', () => {
  let backend: FakeBackend;
  let view: Mounted;
  const badgeOf = (target: string) =>
    [...view.container.querySelectorAll('.mapping-table tbody tr')].find((tr) => tr.querySelector('td.target')?.textContent === target)?.querySelector('[data-testid="microsoft-check"]')?.textContent ?? null;

  beforeEach(async () => {
    useMappingsStore.setState({ history: null, saved: null, editing: null, objectType: 'User', tab: 'mappings', selectedUserId: null });
    backend = installFakeBackend();
    backend.checks[1] = CHECK;
    view = await mount(<MappingsScreen expressionInput={PlainExpressionInput} />);
  });
  afterEach(() => view.unmount());

  it('shows per row what Microsoft confirmed for the saved revision, and where it differs', async () => {
    // Entra's defaults are not saved yet: nothing was checked, nothing is asked
    expect(view.container.querySelector('[data-testid="microsoft-check"]')).toBeNull();
    expect(backend.calls.some((c) => c.name === 'synchronization.mappingCheck')).toBe(false);

    await type(byLabel(view.container, 'Revision label'), 'Defaults');
    await click([...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Save'));
    await settle();

    expect(backend.calls.find((c) => c.name === 'synchronization.mappingCheck')?.input).toEqual({ revision: 1 });
    expect(badgeOf('active')).toBe('checked with Microsoft: agrees on 6 users');
    expect(badgeOf('displayName')).toBe('Microsoft differs for 1 of 6 users, e.g. zoe@contoso.com (differ): preview ["Zoë Adams"], Microsoft ["Zoe Adams"]');
    expect(badgeOf('title')).toBeNull();
    expect(badgeOf('userName')).toBeNull();
  });
});
