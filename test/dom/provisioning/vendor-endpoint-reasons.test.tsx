import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VendorEndpointPanel } from '../../../renderer/provisioning/VendorEndpointPanel.tsx';
import { byText, changeValue, cleanup, click, render } from '../preview/render.tsx';
import { resetFakeApi } from '../preview/fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

beforeEach(() => resetFakeApi());
afterEach(cleanup);

/** Issue 20 item 9 on the Vendor endpoint panel: "Run … check" and "Discover profile", when unavailable, say why. */
describe('Vendor endpoint panel: why a check cannot run yet', () => {
  const reason = (root: HTMLElement, text: RegExp) => {
    const button = byText(root, 'button', text) as HTMLButtonElement;
    return [button.disabled, button.title];
  };

  it('names the fields still empty, for a Secret Token and for OAuth client credentials', async () => {
    const root = await render(<VendorEndpointPanel />);
    expect(reason(root, /^Run read-only check$/)).toEqual([true, 'Enter the Tenant URL and the Secret Token']);
    expect(reason(root, /^Discover profile$/)).toEqual([true, 'Enter the Tenant URL and the Secret Token']);
    await changeValue(root.querySelector<HTMLInputElement>('input[type="url"]')!, 'https://vendor.example/scim/v2', 'input');
    expect(reason(root, /^Discover profile$/)).toEqual([true, 'Enter the Secret Token']);
    await click(byText(root, 'label', /OAuth 2 client credentials/)!.querySelector('input'));
    expect(reason(root, /^Discover profile$/)).toEqual([true, 'Enter the Token URL, the Client ID and the Client secret']);
  });

  it('asks for the confirmation before a full check, and is available once everything is there', async () => {
    const root = await render(<VendorEndpointPanel />);
    await changeValue(root.querySelector<HTMLInputElement>('input[type="url"]')!, 'https://vendor.example/scim/v2', 'input');
    await changeValue(root.querySelector<HTMLInputElement>('input[type="password"]')!, 'secret', 'input');
    expect(reason(root, /^Run read-only check$/)).toEqual([false, '']);
    await click(byText(root, 'label', /Full check: writes test data/)!.querySelector('input'));
    expect(reason(root, /^Run full check$/)).toEqual([true, 'Tick the box above: the full check writes test data']);
    await click(root.querySelector('.vep-confirm input'));
    expect(reason(root, /^Run full check$/)).toEqual([false, '']);
  });
});
