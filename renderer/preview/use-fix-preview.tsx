import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import type { FindingGroup } from '../../shared/api.ts';
import { fixKey, type FixResult } from './FindingList.tsx';
import { FixPreviewDialog } from './FixPreviewDialog.tsx';

interface OpenFix {
  group: FindingGroup;
  settle(result: FixResult | null): void;
}

interface FixPreview {
  /** opens the preview of a group's fix; settles with the saved revision, or null when nothing was saved */
  open(group: FindingGroup): Promise<FixResult | null>;
  /** fixes of this run that would add errors, with the reason (FindingList's `notOffered`) */
  notOffered: ReadonlyMap<string, string>;
  /** the dialog while a fix is previewed, else null: mount it anywhere on the screen */
  dialog: ReactNode;
}

/** "Fix it" for one preview run: the preview dialog, and which fixes it found would add errors. */
export function useFixPreview(runId: string | null, onApplied: (result: FixResult) => void): FixPreview {
  const [current, setCurrent] = useState<OpenFix | null>(null);
  const [notOffered, setNotOffered] = useState<ReadonlyMap<string, string>>(new Map());
  const currentRef = useRef(current);
  currentRef.current = current;

  // Another run (a re-run after a fix, another vendor) has other findings: its verdicts start afresh.
  useEffect(() => {
    setNotOffered(new Map());
    currentRef.current?.settle(null);
    setCurrent(null);
  }, [runId]);

  const open = useCallback((group: FindingGroup) => new Promise<FixResult | null>((resolve) => setCurrent({ group, settle: resolve })), []);

  const close = (result: FixResult | null) => {
    current?.settle(result);
    setCurrent(null);
    if (result) onApplied(result);
  };

  const dialog =
    current && runId ? (
      <FixPreviewDialog
        runId={runId}
        group={current.group}
        onApplied={(result) => close(result)}
        onCancel={() => close(null)}
        onNotOffered={(reason) => setNotOffered((map) => new Map(map).set(fixKey(current.group), reason))}
      />
    ) : null;
  return { open, notOffered, dialog };
}
