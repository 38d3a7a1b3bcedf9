import { act } from 'react';

/** Polls `probe` inside act() until it answers something truthy; on time-out the error quotes what the view shows. */
export async function until<T>(what: string, probe: () => T | null | undefined | false, shows: () => string | null | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; the view says: ${shows()}`);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}
