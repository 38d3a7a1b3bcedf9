import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MappingsScreen } from '../../../renderer/screens/MappingsScreen.tsx';
import { useMappingsStore } from '../../../renderer/state/mappings.ts';
import { byLabel, choose, click, installFakeBackend, mount, PlainExpressionInput, type, type Mounted } from './support.tsx';

/** Issue 20 item 9: a disabled button on the Mappings screen says why, as its tooltip and accessible description. */
describe('Mappings screen: why a button is unavailable', () => {
  let view: Mounted;
  const panel = () => view.container.querySelector('[aria-label="Edit attribute"]')!;
  const button = (within: Element, text: string) => [...within.querySelectorAll('button')].find((b) => b.textContent === text)!;

  beforeEach(async () => {
    useMappingsStore.setState({ history: null, saved: null, editing: null, objectType: 'User', tab: 'mappings', selectedUserId: null });
    installFakeBackend();
    view = await mount(<MappingsScreen expressionInput={PlainExpressionInput} />);
  });
  afterEach(() => view.unmount());

  it('gives every disabled button on the screen a reason', () => {
    const disabled = [...view.container.querySelectorAll('button')].filter((b) => b.disabled);
    expect(disabled.length).toBeGreaterThanOrEqual(3);
    expect(disabled.map((b) => [b.getAttribute('aria-label') ?? b.textContent, b.title])).toEqual(disabled.map((b) => [b.getAttribute('aria-label') ?? b.textContent, expect.stringMatching(/\S/)]));
  });

  it('says there is nothing to undo or redo, and keeps the shortcut as the hint once there is', async () => {
    expect(button(view.container, 'Undo').title).toBe('Nothing to undo');
    expect(button(view.container, 'Redo').title).toBe('Nothing to redo');
    await click(byLabel(view.container, 'Delete title'));
    expect(button(view.container, 'Undo').disabled).toBe(false);
    expect(button(view.container, 'Undo').title).toBe('Undo (Ctrl+Z)');
  });

  it('says why the first row cannot move up and the last cannot move down', () => {
    const up = byLabel(view.container, 'Move userName up') as HTMLButtonElement;
    expect(up.disabled).toBe(true);
    expect(up.title).toBe('Already the first row');
    const downs = [...view.container.querySelectorAll<HTMLButtonElement>('button[aria-label$=" down"]')];
    expect(downs.at(-1)!.disabled).toBe(true);
    expect(downs.at(-1)!.title).toBe('Already the last row');
  });

  it('says why Ok is unavailable: the missing target, and points at the list of problems', async () => {
    await click(button(view.container, 'Add New Mapping'));
    await click(button(panel(), 'Ok'));
    const ok = button(panel(), 'Ok');
    expect(ok.disabled).toBe(true);
    expect(ok.title).toContain('Choose a target attribute.');
    const described = document.getElementById(ok.getAttribute('aria-describedby') ?? '');
    expect(described?.getAttribute('role')).toBe('alert');
    expect(described?.textContent).toContain('Choose a target attribute.');

    // Filling in what was missing makes Ok available again, without a stale reason.
    await type(panel().querySelector('input[list="target-attribute-options"]'), 'nickName');
    await choose(panel().querySelector('select'), 'Constant');
    await type(panel().querySelectorAll('input')[0]!, 'x');
    expect(button(panel(), 'Ok').disabled).toBe(false);
    expect(button(panel(), 'Ok').title).toBe('');
    expect(button(panel(), 'Ok').getAttribute('aria-describedby')).toBeNull();
  });

  it('says that an expression that does not parse is what keeps Ok unavailable', async () => {
    await click(button(view.container, 'Add New Mapping'));
    await choose(panel().querySelector('select'), 'Expression');
    await type(byLabel(panel(), 'Expression'), 'Join(" ", [givenName]');
    await type(panel().querySelector('input[list="target-attribute-options"]'), 'nickName');
    await click(button(panel(), 'Ok'));
    const ok = button(panel(), 'Ok');
    expect(ok.disabled).toBe(true);
    expect(ok.title).toMatch(/^Ok adds the row once this is fixed: Fix the expression: /);
    expect(panel().querySelector('[role="alert"]')!.textContent).toMatch(/Fix the expression: \S/);
  });
});
