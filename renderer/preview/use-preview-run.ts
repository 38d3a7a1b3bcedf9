import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreviewRunSummary } from '../../shared/api.ts';
import type { Dialect } from './types.ts';
import { api, onEvent } from '../api-client.ts';

export interface RunProgress {
  done: number;
  total: number;
}

interface PreviewRunState {
  summary: PreviewRunSummary | null;
  running: boolean;
  progress: RunProgress | null;
  error: string | null;
  /** a sentence about the last run that is not an error (it was cancelled) */
  notice: string | null;
  rerun(): void;
  cancel(): void;
}

/** What a run previews: the project's vendor, snapshot and latest saved revision (null = the backend's default). */
interface PreviewTarget {
  /** null while the project's vendor is not known yet: nothing runs */
  vendorId: string | null;
  snapshotId: number | null;
  revision: number | null;
}

/**
 * Runs `preview.run` for the project's snapshot and revision whenever they, the vendor or the dialect
 * change (or `rerun` is called). The run's id only arrives with the result, so the id of the
 * run in flight is learned from its first `preview.progress` event; Cancel uses it.
 */
export function usePreviewRun({ vendorId, snapshotId, revision }: PreviewTarget, dialectOverride: Dialect | null): PreviewRunState {
  const [summary, setSummary] = useState<PreviewRunSummary | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);

  const generation = useRef(0);
  const liveRunId = useRef<string | null>(null);
  /** runs that finished or were superseded: their late progress events must not look like the live run's */
  const settledRunIds = useRef(new Set<string>());
  const cancelRequested = useRef(false);
  const runningRef = useRef(false);

  const sendCancel = useCallback((runId: string) => {
    api['preview.cancel']({ runId }).catch(() => {
      // The run may have finished between the click and the call; its result then simply arrives.
    });
  }, []);

  useEffect(
    () =>
      onEvent('preview.progress', (event) => {
        if (!runningRef.current || settledRunIds.current.has(event.runId)) return;
        if (liveRunId.current === null) {
          liveRunId.current = event.runId;
          if (cancelRequested.current) sendCancel(event.runId);
        }
        if (event.runId === liveRunId.current) setProgress({ done: event.done, total: event.total });
      }),
    [sendCancel],
  );

  useEffect(() => {
    if (vendorId === null) return;
    const current = ++generation.current;
    // A run still in flight is superseded: stop it rather than let it compete for the two cores.
    if (liveRunId.current) {
      settledRunIds.current.add(liveRunId.current);
      sendCancel(liveRunId.current);
    }
    liveRunId.current = null;
    cancelRequested.current = false;
    runningRef.current = true;
    setRunning(true);
    setProgress(null);
    setError(null);
    setNotice(null);
    const input = {
      vendorId,
      ...(snapshotId !== null ? { snapshotId } : {}),
      ...(revision !== null ? { revision } : {}),
      ...(dialectOverride ? { dialect: dialectOverride } : {}),
    };
    api['preview.run'](input).then(
      (result) => {
        settledRunIds.current.add(result.runId);
        if (current !== generation.current) return;
        runningRef.current = false;
        liveRunId.current = null;
        setSummary(result);
        setRunning(false);
        setProgress(null);
      },
      (e: Error) => {
        if (liveRunId.current) settledRunIds.current.add(liveRunId.current);
        if (current !== generation.current) return;
        runningRef.current = false;
        liveRunId.current = null;
        setRunning(false);
        setProgress(null);
        if (cancelRequested.current) setNotice('Preview cancelled. The table still shows the previous result.');
        else setError(e.message);
      },
    );
  }, [vendorId, snapshotId, revision, dialectOverride, nonce, sendCancel]);

  const rerun = useCallback(() => setNonce((n) => n + 1), []);
  const cancel = useCallback(() => {
    if (!runningRef.current) return;
    cancelRequested.current = true;
    if (liveRunId.current) sendCancel(liveRunId.current);
  }, [sendCancel]);

  return { summary, running, progress, error, notice, rerun, cancel };
}
