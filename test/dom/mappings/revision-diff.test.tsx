import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevisionDiff } from '../../../renderer/mappings/RevisionDiff.tsx';
import { diffMappingSets } from '../../../renderer/mappings/revision-diff.ts';
import { addRow, deleteRow, formOf, moveRow, newAttributeDefinition, replaceRow, rowFromForm, rowsOf, setAttributeList, attributeListOf, setOptDialect, setScopeGroups } from '../../../renderer/mappings/mapping-edits.ts';
import { MappingsScreen } from '../../../renderer/screens/MappingsScreen.tsx';
import { useMappingsStore } from '../../../renderer/state/mappings.ts';
import { byLabel, choose, click, defaultTemplate, installFakeBackend, mount, PlainExpressionInput, settle, type, type Mounted } from './support.tsx';

const edited = () => {
  let set = defaultTemplate();
  set = deleteRow(set, 'User', rowsOf(set, 'User').findIndex((r) => r.targetAttributeName === 'title'));
  const mailIndex = rowsOf(set, 'User').findIndex((r) => r.targetAttributeName === 'emails[type eq "work"].value');
  set = replaceRow(set, 'User', mailIndex, rowFromForm({ ...formOf(rowsOf(set, 'User')[mailIndex]!), mappingType: 'Expression', expression: 'Coalesce([mail], [userPrincipalName])', defaultValue: 'none@contoso.com' }));
  set = addRow(set, 'User', rowFromForm({ ...formOf(rowsOf(set, 'User')[0]!), targetAttribute: 'nickName', mappingType: 'Direct', sourceAttribute: 'mailNickname', matchObjects: false }));
  return set;
};

describe('revision diff', () => {
  it('reports added, removed and changed rows with the fields that changed', () => {
    const diff = diffMappingSets(defaultTemplate(), edited());
    const users = diff.objects.find((o) => o.objectType === 'User')!;
    expect(users.rows).toContainEqual(expect.objectContaining({ kind: 'removed', target: 'title' }));
    expect(users.rows).toContainEqual(expect.objectContaining({ kind: 'added', target: 'nickName' }));
    const changed = users.rows.find((r) => r.kind === 'changed');
    expect(changed).toEqual({
      kind: 'changed',
      target: 'emails[type eq "work"].value',
      fields: [
        { field: 'Mapping type', from: 'Direct', to: 'Expression' },
        { field: 'Source attribute / Expression', from: '[mail]', to: 'Coalesce([mail], [userPrincipalName])' },
        { field: 'Default value if null', from: '', to: 'none@contoso.com' },
      ],
    });
    expect(diff.objects.find((o) => o.objectType === 'Group')!.rows).toEqual([]);
    expect(diff.unchanged).toBe(false);
  });

  it('ignores row order, and names scoping, attribute-list and tenant URL changes', () => {
    const base = defaultTemplate();
    expect(diffMappingSets(base, moveRow(base, 'User', 0, 3)).unchanged).toBe(true);
    let other = setScopeGroups(base, 'User', [{ name: 'Sales', clauses: [{ sourceOperandName: 'department', operatorName: 'EQUALS', targetOperand: { values: ['Sales'] } }] }]);
    other = setAttributeList(other, 'User', [...attributeListOf(other, 'User'), newAttributeDefinition('urn:ietf:params:scim:schemas:extension:acme:1.0:User:costCenter', 'String', false)]);
    other = setOptDialect(other, true);
    const diff = diffMappingSets(base, other);
    expect(diff.notes).toEqual(['Tenant URL: (none) → ?aadOptscim062020']);
    expect(diff.objects[0]!.notes).toEqual(['Scoping filters changed.', 'Attribute list: urn:ietf:params:scim:schemas:extension:acme:1.0:User:costCenter added (String).']);
  });

  it('renders each change as a row: Added, Removed, and one line per changed field', async () => {
    const view = await mount(<RevisionDiff diff={diffMappingSets(defaultTemplate(), edited())} fromLabel="Revision 1" toLabel="Revision 2" />);
    const lines = [...view.container.querySelectorAll('.mapping-diff-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(lines).toEqual([
      ['Removed', 'title', 'Direct', '[jobTitle]', ''],
      ['Changed', 'emails[type eq "work"].value', 'Mapping type', 'Direct', 'Expression'],
      ['', '', 'Source attribute / Expression', '[mail]', 'Coalesce([mail], [userPrincipalName])'],
      ['', '', 'Default value if null', '', 'none@contoso.com'],
      ['Added', 'nickName', 'Direct', '', '[mailNickname]'],
    ]);
    expect([...view.container.querySelectorAll('.mapping-diff-table thead th')].map((th) => th.textContent).slice(3)).toEqual(['Revision 1', 'Revision 2']);
    view.unmount();
  });
});

describe('comparing revisions on the Revisions tab', () => {
  let view: Mounted;
  beforeEach(async () => {
    useMappingsStore.setState({ history: null, saved: null, editing: null, objectType: 'User', tab: 'mappings', selectedUserId: null });
    installFakeBackend();
    view = await mount(<MappingsScreen expressionInput={PlainExpressionInput} />);
  });
  afterEach(() => view.unmount());

  it('compares a saved revision with the unsaved working copy, then two saved revisions', async () => {
    await type(byLabel(view.container, 'Revision label'), 'Defaults');
    await click([...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Save'));
    await settle();
    await click(byLabel(view.container, 'Delete title'));
    await click([...view.container.querySelectorAll('[role="tab"]')].find((b) => b.textContent === 'Revisions'));
    await settle();
    expect([...view.container.querySelectorAll('.revision-list tbody tr td:nth-child(2)')].map((td) => td.textContent)).toEqual(['Defaults']);
    expect((byLabel(view.container, 'Compare from') as HTMLSelectElement).value).toBe('r1');
    expect(view.container.querySelector('.diff-removed')!.textContent).toContain('title');

    await type(byLabel(view.container, 'Revision label'), 'No title');
    await click([...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Save'));
    await settle();
    await choose(byLabel(view.container, 'Compare to'), 'r2');
    await settle();
    expect(view.container.querySelector('.mapping-diff-table thead')!.textContent).toContain('Revision 2');
    expect(view.container.querySelector('.diff-removed')!.textContent).toContain('title');
    await choose(byLabel(view.container, 'Compare from'), 'r2');
    await settle();
    expect(view.container.querySelector('.diff-empty')!.textContent).toBe('Revision 2 and Revision 2 have the same mappings.');
  });
});
