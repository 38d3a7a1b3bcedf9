import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ReactNode } from 'react';
import type { Envelope, PreloadApi } from '../../../shared/api.ts';
import { analyse } from '../../../renderer/editor/language/diagnostics.ts';
import type { ExpressionInputProps } from '../../../renderer/editor/expression-input.tsx';
import type { MappingSet } from '../../../shared/mapping/model.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// happy-dom replaces the global URL, so the file is found from the project root (vitest's cwd).
export const defaultTemplate = (): MappingSet => JSON.parse(readFileSync(join(process.cwd(), 'resources/templates/entra-scim-default.schema.json'), 'utf8')) as MappingSet;

/** happy-dom cannot run Monaco: the screen gets a text area with the same contract. */
export function PlainExpressionInput(props: ExpressionInputProps) {
  return (
    <textarea
      aria-label={props.ariaLabel}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value, analyse(e.target.value, null, props.mapping))}
    />
  );
}

export interface FakeBackend {
  calls: { name: string; input: unknown }[];
  saved: { label: string; mappingSet: unknown }[];
  /** synchronization.mappingCheck's answer per revision (none: never checked) */
  checks: Record<number, unknown>;
}

/** A fake of the preload's window.api (the Electron door), answering the mappings methods from memory. */
export function installFakeBackend(): FakeBackend {
  const backend: FakeBackend = { calls: [], saved: [], checks: {} };
  const users = [
    { id: 'u1', userPrincipalName: 'zoe@contoso.com', displayName: 'Zoë Adams', source: { objectId: 'u1', givenName: 'Zoë', surname: 'Adams', mail: 'zoe@contoso.com' } },
    { id: 'u2', userPrincipalName: 'li@contoso.com', displayName: 'Li Wei', source: { objectId: 'u2', givenName: 'Li', surname: 'Wei' } },
  ];
  const attr = (name: string) => ({ name, objectType: 'User', type: 'String', multiValued: false, availability: 'default', inSnapshot: true, notes: null });
  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    'mappings.get': () => ({ revision: null, label: 'Entra default mappings', createdAt: null, origin: 'template', mappingSet: defaultTemplate() }),
    'mappings.listRevisions': () => backend.saved.map((s, i) => ({ revision: i + 1, label: s.label, createdAt: '2025-01-01T00:00:00Z' })),
    'mappings.getRevision': (input) => ({ revision: input.revision, label: backend.saved[(input.revision as number) - 1]!.label, createdAt: '2025-01-01T00:00:00Z', mappingSet: backend.saved[(input.revision as number) - 1]!.mappingSet }),
    'mappings.templates': () => [{ id: 'entra-default', name: 'Entra default mappings', description: 'defaults', vendorId: null, vendorName: null, mappingSet: defaultTemplate() }],
    'mappings.sourceSchema': () => ({ snapshotId: 1, attributes: ['objectId', 'givenName', 'surname', 'mail', 'userPrincipalName', 'mailNickname'].map(attr) }),
    'mappings.sampleSources': () => ({ snapshotId: 1, users }),
    'synchronization.mappingCheck': (input) => backend.checks[input.revision as number] ?? null,
    'mappings.save': (input) => {
      backend.saved.push({ label: input.label as string, mappingSet: structuredClone(input.mappingSet) });
      return { revision: backend.saved.length, label: input.label, createdAt: '2025-01-01T00:00:00Z' };
    },
  };
  window.api = new Proxy({} as PreloadApi, {
    get: (_target, name: string) => async (input: Record<string, unknown>): Promise<Envelope<unknown>> => {
      backend.calls.push({ name, input });
      const handler = handlers[name];
      if (!handler) return { ok: false, error: { code: 'unknown-method', message: `not faked: ${name}` } };
      return { ok: true, value: handler(input ?? {}) };
    },
  });
  window.apiEvents = { on: () => () => {} };
  return backend;
}

export interface Mounted {
  container: HTMLElement;
  root: Root;
  unmount(): void;
}

export async function mount(node: ReactNode): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(node));
  await settle();
  return {
    container,
    root,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** Polls `probe` (letting React render between tries) until it answers; a timeout says what the screen showed. */
export async function waitUntil<T>(what: string, probe: () => T | null | undefined | false, shown: () => string | null | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; the screen says: ${shown()}`);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

/** Lets pending API promises resolve and React re-render. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

function setNativeValue(element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  const prototype = Object.getPrototypeOf(element) as object;
  const setter = Object.getOwnPropertyDescriptor(prototype, 'value')!.set!;
  setter.call(element, value);
}

export async function type(element: Element | null, value: string): Promise<void> {
  if (!element) throw new Error('no element to type into');
  await act(async () => {
    setNativeValue(element as HTMLInputElement, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function choose(element: Element | null, value: string): Promise<void> {
  if (!element) throw new Error('no select to choose from');
  await act(async () => {
    setNativeValue(element as HTMLSelectElement, value);
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

export async function click(element: Element | null | undefined): Promise<void> {
  if (!element) throw new Error('no element to click');
  await act(async () => (element as HTMLElement).click());
}

export async function key(target: EventTarget, init: KeyboardEventInit): Promise<void> {
  await act(async () => target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init })));
}

export const byLabel = (container: Element, label: string) => container.querySelector(`[aria-label="${label}"]`);

/** The text of each mapping row's first cell (the target attribute), in table order. */
export const targets = (container: Element) => [...container.querySelectorAll('.mapping-table tbody tr td.target')].map((td) => td.textContent);
