import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MappingsScreen } from '../../../renderer/screens/MappingsScreen.tsx';
import { useMappingsStore } from '../../../renderer/state/mappings.ts';
import { findObjectMapping, type MappingSet } from '../../../shared/mapping/model.ts';
import { byLabel, choose, click, defaultTemplate, installFakeBackend, key, mount, PlainExpressionInput, settle, targets, type, type FakeBackend, type Mounted } from './support.tsx';

const defaultTargets = findObjectMapping(defaultTemplate(), 'User')!.objectMapping.attributeMappings.map((r) => r.targetAttributeName);

describe('Mappings screen: the mapping table', () => {
  let backend: FakeBackend;
  let view: Mounted;
  const panel = () => view.container.querySelector('[aria-label="Edit attribute"]');
  const rowOf = (target: string) => [...view.container.querySelectorAll('.mapping-table tbody tr')].find((tr) => tr.querySelector('td.target')?.textContent === target);

  beforeEach(async () => {
    useMappingsStore.setState({ history: null, saved: null, editing: null, objectType: 'User', tab: 'mappings', selectedUserId: null });
    backend = installFakeBackend();
    view = await mount(<MappingsScreen expressionInput={PlainExpressionInput} />);
  });
  afterEach(() => view.unmount());

  it('shows Entra’s default user mappings with the portal’s columns', () => {
    const headers = [...view.container.querySelectorAll('.mapping-table thead th')].map((th) => th.textContent);
    expect(headers.slice(0, 7)).toEqual([
      'Target attribute',
      'Mapping type',
      'Source attribute / Expression',
      'Default value if null',
      'Match objects using this attribute',
      'Matching precedence',
      'Apply this mapping',
    ]);
    expect(targets(view.container)).toEqual(defaultTargets);
    const userName = rowOf('userName')!;
    expect([...userName.querySelectorAll('td')].slice(1, 7).map((td) => td.textContent)).toEqual(['Direct', '[userPrincipalName]', '', 'Yes', '1', 'Always']);
    expect(byLabel(view.container, 'Revision label')).not.toBeNull();
    expect(view.container.querySelector('[data-testid="revision-badge"]')!.textContent).toContain('Entra default mappings (not saved)');
  });

  it('adds an expression mapping through the side panel, with its live result for the selected user', async () => {
    await click([...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Add New Mapping'));
    expect(panel()!.querySelector('h2')!.textContent).toBe('Add New Mapping');
    await choose(panel()!.querySelector('select'), 'Expression');
    await type(byLabel(panel()!, 'Expression'), 'Join(" ", [givenName], [surname])');
    expect(panel()!.querySelector('[data-testid="live-selected"]')!.textContent).toContain('Zoë Adams');
    expect(panel()!.querySelector('.live-selected .live-value')!.textContent).toBe('Zoë Adams');
    expect(panel()!.querySelector('.live-strip')!.textContent).toContain('Li Wei');

    await type(panel()!.querySelector('input[list="target-attribute-options"]'), 'displayName');
    await click([...panel()!.querySelectorAll('button')].find((b) => b.textContent === 'Ok'));
    expect(panel()).toBeNull();
    expect(targets(view.container)).toEqual([...defaultTargets, 'displayName']);
    const added = view.container.querySelectorAll('.mapping-table tbody tr');
    expect(added[added.length - 1]!.querySelector('td.source')!.textContent).toBe('Join(" ", [givenName], [surname])');
  });

  it('refuses to add a row without a target attribute, saying what is missing', async () => {
    await click([...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Add New Mapping'));
    await click([...panel()!.querySelectorAll('button')].find((b) => b.textContent === 'Ok'));
    expect(panel()!.querySelector('[role="alert"]')!.textContent).toContain('Choose a target attribute.');
    expect(targets(view.container)).toEqual(defaultTargets);
  });

  it('edits a row: mapping type, default value and “Only during object creation”', async () => {
    await click(byLabel(view.container, 'Edit title'));
    expect(panel()!.querySelector('h2')!.textContent).toBe('Edit attribute');
    await choose(panel()!.querySelector('select'), 'Constant');
    await type(byLabel(panel()!, 'Constant value') ?? panel()!.querySelectorAll('input')[0]!, 'Employee');
    const selects = [...panel()!.querySelectorAll('select')];
    await choose(selects.at(-1)!, 'ObjectAddOnly');
    await click([...panel()!.querySelectorAll('button')].find((b) => b.textContent === 'Ok'));
    const cells = [...rowOf('title')!.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells.slice(1, 7)).toEqual(['Constant', '"Employee"', '', 'No', '', 'Only during object creation']);
  });

  it('deletes and reorders rows, and undoes and redoes each edit with Ctrl+Z / Ctrl+Y', async () => {
    await click(byLabel(view.container, 'Delete title'));
    expect(targets(view.container)).not.toContain('title');
    await click(byLabel(view.container, 'Move userName down'));
    expect(targets(view.container).slice(0, 2)).toEqual([defaultTargets[1], 'userName']);

    await key(document.body, { key: 'z', ctrlKey: true });
    expect(targets(view.container).slice(0, 2)).toEqual(['userName', defaultTargets[1]]);
    await key(document.body, { key: 'z', ctrlKey: true });
    expect(targets(view.container)).toEqual(defaultTargets);
    await key(document.body, { key: 'y', ctrlKey: true });
    expect(targets(view.container)).not.toContain('title');
    // Ctrl+Z typed in a text field is the field's own undo, not the table's.
    await key(byLabel(view.container, 'Revision label')!, { key: 'z', ctrlKey: true });
    expect(targets(view.container)).not.toContain('title');
  });

  it('moves and deletes the focused row from the keyboard', async () => {
    const first = view.container.querySelector('.mapping-table tbody tr')!;
    await key(first, { key: 'ArrowDown', altKey: true });
    expect(targets(view.container).slice(0, 2)).toEqual([defaultTargets[1], 'userName']);
    await key(rowOf('userName')!, { key: 'Delete' });
    expect(targets(view.container)).not.toContain('userName');
    await key(rowOf(defaultTargets[2]!)!, { key: 'Enter' });
    expect(panel()).not.toBeNull();
  });

  it('saves the working copy as a revision with its label', async () => {
    await click(byLabel(view.container, 'Delete title'));
    await type(byLabel(view.container, 'Revision label'), 'No job titles');
    await click([...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Save'));
    await settle();
    expect(backend.saved).toHaveLength(1);
    expect(backend.saved[0]!.label).toBe('No job titles');
    const savedRows = findObjectMapping(backend.saved[0]!.mappingSet as MappingSet, 'User')!.objectMapping.attributeMappings;
    expect(savedRows.map((r) => r.targetAttributeName)).not.toContain('title');
    expect(view.container.querySelector('[data-testid="revision-badge"]')!.textContent).toBe('Revision 1: No job titles');
  });

  it('keeps Save disabled, saying why, until the saved revision is edited', async () => {
    const saveButton = () => [...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Save')!;
    await type(byLabel(view.container, 'Revision label'), 'Defaults');
    await click(saveButton());
    await settle();
    expect(backend.saved).toHaveLength(1);
    expect(saveButton().disabled).toBe(true);
    expect(saveButton().title).toBe('Nothing changed since revision 1');
    await click(saveButton());
    expect(backend.saved).toHaveLength(1);
    await click(byLabel(view.container, 'Delete title'));
    expect(saveButton().disabled).toBe(false);
  });

  it('switches the aadOptscim062020 flag on the tenant URL and edits the Groups mapping', async () => {
    await type(byLabel(view.container, 'Tenant URL'), 'https://scim.example.com/v2');
    await click(view.container.querySelector('input[role="switch"]'));
    expect((byLabel(view.container, 'Tenant URL') as HTMLInputElement).value).toBe('https://scim.example.com/v2?aadOptscim062020');
    await click(view.container.querySelector('input[role="switch"]'));
    expect((byLabel(view.container, 'Tenant URL') as HTMLInputElement).value).toBe('https://scim.example.com/v2');

    await click([...view.container.querySelectorAll('[role="tab"]')].find((b) => b.textContent === 'Provision Microsoft Entra ID Groups'));
    expect(targets(view.container)).toEqual(['displayName', 'externalId', 'members']);
  });
});
