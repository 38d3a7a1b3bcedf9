import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../../../electron/backend/session/disposables.ts';

describe('DisposableStore', () => {
  it('disposes newest first, waits for each, and only once', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('first')));
    store.add(toDisposable(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push('second');
    }));
    const removed = store.add(toDisposable(() => void order.push('removed')));
    store.delete(removed);
    await Promise.all([store.dispose(), store.dispose()]);
    expect(order).toEqual(['second', 'first']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes at once what is added after it was disposed', async () => {
    const store = new DisposableStore();
    await store.dispose();
    let disposed = false;
    store.add(toDisposable(() => void (disposed = true)));
    expect(disposed).toBe(true);
  });

  it('disposes the rest when one fails, then reports the failure', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('kept going')));
    store.add(toDisposable(() => {
      throw new Error('port already closed');
    }));
    await expect(store.dispose()).rejects.toThrow('port already closed');
    expect(order).toEqual(['kept going']);
  });
});
