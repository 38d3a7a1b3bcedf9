import { useEffect, useState } from 'react';
import type { PreviewCheckDto } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';

interface RevisionCheckState {
  /** null while reading, and for Entra's defaults (never checked: checks are kept per saved revision) */
  data: PreviewCheckDto | null;
  error: string | null;
}

/**
 * The previewed revision's newest check against Microsoft, read again when a check of that revision finishes
 * (started on the Mappings screen while this screen is open, or cancelled: it keeps what it checked).
 */
export function useRevisionCheck(revision: number | null): RevisionCheckState {
  const [state, setState] = useState<RevisionCheckState>({ data: null, error: null });
  const [finished, setFinished] = useState(0);
  useEffect(
    () =>
      onEvent('synchronization.check.finished', (status) => status.revision === revision && setFinished((n) => n + 1)),
    [revision],
  );
  useEffect(() => {
    setState({ data: null, error: null });
    if (revision === null) return;
    let current = true;
    api['synchronization.revisionCheck']({ revision }).then(
      (data) => current && setState({ data, error: null }),
      (e: Error) => current && setState({ data: null, error: e.message }),
    );
    return () => {
      current = false;
    };
  }, [revision, finished]);
  return state;
}
