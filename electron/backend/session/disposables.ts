/** Something that holds a resource until told to let go (VS Code's IDisposable, with an async dispose). */
export interface Disposable {
  dispose(): void | Promise<void>;
}

export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  return { dispose };
}

/**
 * Disposables released together, newest first (what was started last may depend on what came before).
 * Once disposed, anything added is disposed at once: a job that registers after its workspace closed
 * must not outlive it.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposing: Promise<void> | undefined;

  get isDisposed(): boolean {
    return this.disposing !== undefined;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposing) {
      void Promise.resolve(item.dispose()).catch((error: unknown) => console.error('[session] dispose failed:', error));
      return item;
    }
    this.items.add(item);
    return item;
  }

  /** Forgets an item without disposing it (it ended on its own). */
  delete(item: Disposable): void {
    this.items.delete(item);
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      const errors: unknown[] = [];
      for (const item of [...this.items].reverse()) {
        this.items.delete(item);
        try {
          await item.dispose();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed`);
    })();
    return this.disposing;
  }
}
