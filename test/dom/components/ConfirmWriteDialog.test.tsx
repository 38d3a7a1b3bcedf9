import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmWriteDialog } from '../../../renderer/components/ConfirmWriteDialog.tsx';
import { click, key, mount, type, type Mounted } from '../mappings/support.tsx';

/** Issue 15: nothing is written to a tenant or a vendor without a confirmation that names what it touches. */
describe('ConfirmWriteDialog', () => {
  let view: Mounted | null = null;
  afterEach(() => {
    view?.unmount();
    view = null;
  });

  const open = async (calls: string[]) => {
    view = await mount(
      <ConfirmWriteDialog
        title="Apply the planned mappings"
        target={{ kind: 'Microsoft Entra tenant', tenant: 'Contoso (7f3c…)', app: 'HiThrive · job scim.1' }}
        confirmLabel="Apply to tenant"
        typeToConfirm="HiThrive"
        onConfirm={() => calls.push('confirm')}
        onCancel={() => calls.push('cancel')}
      >
        <p>A new initial cycle runs over every assigned user; 3 users fall out of scope and are disabled in the vendor.</p>
      </ConfirmWriteDialog>,
    );
    return view.container;
  };
  const button = (container: Element, name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;

  it('names the tenant, the app and the impact, and starts on Cancel', async () => {
    const container = await open([]);
    const dialog = container.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('Contoso (7f3c…)');
    expect(dialog.textContent).toContain('HiThrive · job scim.1');
    expect(dialog.textContent).toContain('3 users fall out of scope');
    expect(document.activeElement).toBe(button(container, 'Cancel'));
  });

  it('writes only after the app name is typed', async () => {
    const calls: string[] = [];
    const container = await open(calls);
    const apply = button(container, 'Apply to tenant');
    expect(apply.disabled).toBe(true);
    expect(apply.title).toBe('Type HiThrive first');
    await type(container.querySelector('input'), 'HiThriv');
    expect(apply.disabled).toBe(true);
    await type(container.querySelector('input'), 'HiThrive');
    expect(apply.disabled).toBe(false);
    await click(apply);
    expect(calls).toEqual(['confirm']);
  });

  it('Escape and Cancel close it without writing', async () => {
    const calls: string[] = [];
    const container = await open(calls);
    await key(container.querySelector('[role="dialog"]')!, { key: 'Escape', bubbles: true });
    await click(button(container, 'Cancel'));
    expect(calls).toEqual(['cancel', 'cancel']);
  });
});
