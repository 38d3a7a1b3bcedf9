import { useState } from 'react';

/**
 * A panel's one action at a time: while `work` runs, `busy` says what is happening (and disables the other buttons);
 * when it fails, `error` holds the backend's message, which is written for the admin.
 */
export function useAttempt() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attempt = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, setError, attempt };
}
