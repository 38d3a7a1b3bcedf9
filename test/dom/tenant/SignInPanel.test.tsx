import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectoryAccount, SignInStatus } from '../../../shared/api.ts';
import { render, settle } from './render.ts';

const AUTHORIZATION_URL = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=x';
const calls: { method: string; input: unknown }[] = [];
let status: SignInStatus;
const listeners = new Set<(status: SignInStatus) => void>();
vi.mock('../../../renderer/api-client.ts', () => ({
  api: {
    'directory.signIn.start': async (input: unknown) => {
      calls.push({ method: 'start', input });
      return { signInId: 's1', deviceCode: null, authorizationUrl: AUTHORIZATION_URL };
    },
    'directory.signIn.status': async (input: unknown) => {
      calls.push({ method: 'status', input });
      return status;
    },
    'directory.signIn.cancel': async (input: unknown) => {
      calls.push({ method: 'cancel', input });
      return { cancelled: true };
    },
  },
  onEvent: (name: string, listener: (status: SignInStatus) => void) => {
    if (name !== 'directory.signIn.finished') return () => undefined;
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
}));
const { SignInPanel } = await import('../../../renderer/tenant/SignInPanel.tsx');

const account: DirectoryAccount = {
  accountId: 'k:home',
  kind: 'signed-in',
  username: 'admin@contoso.onmicrosoft.com',
  displayName: 'Contoso Admin',
  tenantId: 'contoso.onmicrosoft.com',
  cloud: 'global',
  clientId: '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607',
  expiresAt: null,
  storage: 'in memory only',
};

function type(input: HTMLInputElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function signInWithBrowser(container: HTMLElement) {
  await act(async () => {
    type(container.querySelector<HTMLInputElement>('#sign-in-tenant')!, 'contoso.onmicrosoft.com');
    type(container.querySelector<HTMLInputElement>('#sign-in-client')!, account.clientId!);
  });
  await act(async () => {
    container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

const button = (container: HTMLElement, name: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent === name)!;

describe('SignInPanel with the browser', () => {
  let open: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    calls.length = 0;
    listeners.clear();
    localStorage.clear();
    open = vi.fn(() => null);
    window.open = open as unknown as typeof window.open;
  });
  afterEach(() => document.body.replaceChildren());

  it('opens the sign-in page and takes the account even when the sign-in finished before the panel listened', async () => {
    status = { signInId: 's1', state: 'signed-in', account, error: null };
    const onSignedIn = vi.fn();
    const { container } = await render(<SignInPanel onSignedIn={onSignedIn} />);
    await signInWithBrowser(container);
    expect(calls[0]).toEqual({
      method: 'start',
      input: { cloud: 'global', tenant: 'contoso.onmicrosoft.com', clientId: account.clientId, method: 'browser' },
    });
    expect(open).toHaveBeenCalledWith(AUTHORIZATION_URL, '_blank', 'noopener');
    expect(onSignedIn).toHaveBeenCalledTimes(1);
    expect(onSignedIn).toHaveBeenCalledWith(account);
  });

  it('waits with a way to open the page again, then shows why the sign-in failed', async () => {
    status = { signInId: 's1', state: 'waiting', account: null, error: null };
    const onSignedIn = vi.fn();
    const { container } = await render(<SignInPanel onSignedIn={onSignedIn} />);
    await signInWithBrowser(container);
    const waiting = container.querySelector('[aria-label="Browser sign-in"]')!;
    expect(waiting.querySelector('[role=status]')!.textContent).toBe('Waiting for you to finish signing in…');
    await act(async () => button(container, 'Open the sign-in page').click());
    expect(open).toHaveBeenCalledTimes(2);

    const failed: SignInStatus = {
      signInId: 's1',
      state: 'failed',
      account: null,
      error: 'Sign-in failed: consent was refused',
    };
    await act(async () => listeners.forEach((l) => l(failed)));
    expect(container.querySelector('[aria-label="Browser sign-in"]')).toBeNull();
    expect(container.querySelector('form [role=alert]')!.textContent).toBe('Sign-in failed: consent was refused');
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('cancels the waiting sign-in and goes back to the form', async () => {
    status = { signInId: 's1', state: 'waiting', account: null, error: null };
    const { container } = await render(<SignInPanel onSignedIn={() => undefined} />);
    await signInWithBrowser(container);
    await act(async () => button(container, 'Cancel').click());
    await settle();
    expect(calls.filter((c) => c.method === 'cancel')).toEqual([{ method: 'cancel', input: { signInId: 's1' } }]);
    expect(container.querySelector('form[aria-label="Sign in to a tenant"]')).not.toBeNull();
    expect(listeners.size).toBe(0);
  });
});
