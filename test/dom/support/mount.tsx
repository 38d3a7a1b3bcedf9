import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { vi } from 'vitest';

// React 19 only flushes effects inside act() when told it runs in a test environment.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const roots: Root[] = [];

export interface Mounted {
  container: HTMLElement;
  /** Renders new props into the same root, as a parent's render would: state and elements survive. */
  rerender(ui: ReactElement): Promise<void>;
}

/** Renders into a fresh root in the document; unmountAll after each test takes it down. */
export async function mount(ui: ReactElement): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  roots.push(root);
  await act(async () => root.render(ui));
  return { container, rerender: (next) => act(async () => root.render(next)) };
}

export async function unmountAll(): Promise<void> {
  for (const root of roots.splice(0)) await act(async () => root.unmount());
  document.body.innerHTML = '';
}

/** Dispatches one keydown and returns it, so a test can see whether the list claimed it (preventDefault). */
export async function pressKey(target: Element, key: string, init: KeyboardEventInit = {}): Promise<KeyboardEvent> {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  await act(async () => {
    target.dispatchEvent(event);
  });
  return event;
}

/** happy-dom does no layout: every element gets this size, so a virtualiser has a window to fill. Undone by vi.restoreAllMocks. */
export function fakeViewport(height: number, width = 400): void {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(width);
}
