import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { FindingGroup, FixImpact } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { diffMappingSets } from '../mappings/revision-diff.ts';
import { RevisionDiff as MappingDiff } from '../mappings/RevisionDiff.tsx';
import type { FixResult } from './FindingList.tsx';
import { countOf, formatCount, showPayloadValue } from './labels.ts';
import '../styles/fix-preview.css';

interface FixPreviewDialogProps {
  runId: string;
  group: FindingGroup;
  /** the admin applied the fix: it is saved as this revision */
  onApplied(result: FixResult): void;
  /** closed without saving */
  onCancel(): void;
  /** the preview found the fix would add errors: the finding shows why it is not offered */
  onNotOffered(reason: string): void;
}

/**
 * "Fix it", previewed before anything is saved: what the fix changes in the mappings, how many users it changes
 * (with a sample of before → after values) and the errors before and after, over the run's snapshot. Only Apply
 * saves a revision; a fix that would add errors offers no Apply and says why.
 */
export function FixPreviewDialog({ runId, group, onApplied, onCancel, onNotOffered }: FixPreviewDialogProps) {
  const [impact, setImpact] = useState<FixImpact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const dialog = useRef<HTMLElement>(null);
  const reported = useRef(onNotOffered);
  reported.current = onNotOffered;

  // Focus moves into the dialog, and back to what opened it ("Fix it") when it closes.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.focus();
    return () => opener?.focus();
  }, []);

  useEffect(() => {
    let live = true;
    api['preview.fixImpact']({ runId, code: group.code, attribute: group.attribute }).then(
      (result) => {
        if (!live) return;
        setImpact(result);
        if (!result.offered && result.notOffered) reported.current(result.notOffered);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [runId, group.code, group.attribute]);

  const diff = useMemo(() => (impact ? diffMappingSets(impact.before, impact.after) : null), [impact]);

  const apply = async () => {
    setApplying(true);
    setError(null);
    try {
      onApplied(await api['preview.applyFix']({ runId, code: group.code, attribute: group.attribute }));
    } catch (e) {
      setError(`The fix was not saved: ${(e as Error).message}`);
      setApplying(false);
    }
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !applying) onCancel();
  };

  const what = `${group.code}${group.attribute ? ` on ${group.attribute}` : ''}`;
  return (
    <div className="fix-preview-backdrop">
      <section ref={dialog} role="dialog" aria-modal="true" aria-labelledby="fix-preview-title" className="fix-preview" tabIndex={-1} onKeyDown={onKey}>
        <h2 id="fix-preview-title">Fix {what}</h2>
        {!impact && !error && <p className="muted" role="status">Previewing the fix over the snapshot…</p>}
        {impact && (
          <>
            <p className="fix-description">{impact.description}.</p>
            <p className="fix-counts" role="status">
              This fix changes <strong>{countOf(impact.changedUsers, 'user')}</strong> of {formatCount(impact.users)}. Errors:{' '}
              <strong>{formatCount(impact.errorsBefore)}</strong> now → <strong>{formatCount(impact.errorsAfter)}</strong> after the fix.
            </p>
            {impact.notOffered && <p className="error-text fix-not-offered">{impact.notOffered}</p>}
            {impact.newErrors.length > 0 && (
              <ul className="fix-new-errors" aria-label="Errors the fix would add">
                {impact.newErrors.map((e) => (
                  <li key={`${e.code}\u0000${e.attribute ?? ''}`}>
                    <code>{e.code}</code> {countOf(e.users, 'user')}: {e.message}
                  </li>
                ))}
              </ul>
            )}
            {diff && <MappingDiff diff={diff} fromLabel="Now" toLabel="With the fix" />}
            {impact.sample.length > 0 && (
              <table className="fix-sample" aria-label="Users the fix changes">
                <caption>
                  {impact.sample.length < impact.changedUsers ? `The first ${impact.sample.length} of ${formatCount(impact.changedUsers)} users` : 'Every user'} it changes
                </caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Attribute</th>
                    <th scope="col">Now</th>
                    <th scope="col">With the fix</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.sample.flatMap((user) => [
                    ...user.changes.map((change, i) => (
                      <tr key={`${user.id}:${change.attribute}`}>
                        <td>{i === 0 ? (user.userPrincipalName ?? user.id) : ''}</td>
                        <td>
                          <code>{change.attribute}</code>
                        </td>
                        <td className="diff-from">
                          <del>{showPayloadValue(change.from)}</del>
                        </td>
                        <td className="diff-to">
                          <ins>{showPayloadValue(change.to)}</ins>
                        </td>
                      </tr>
                    )),
                    ...user.errorsAfter.map((message, i) => (
                      <tr key={`${user.id}:error:${i}`} className="fix-sample-error">
                        <td />
                        <td colSpan={3} className="error-text">
                          {message}
                        </td>
                      </tr>
                    )),
                  ])}
                </tbody>
              </table>
            )}
          </>
        )}
        {error && <p className="error-text">{error}</p>}
        <div className="fix-preview-actions">
          {impact?.offered && (
            <button type="button" className="primary" disabled={applying} onClick={apply}>
              {applying ? 'Saving…' : 'Apply and save as a new revision'}
            </button>
          )}
          <button type="button" disabled={applying} onClick={onCancel}>
            {impact?.offered ? 'Cancel' : 'Close'}
          </button>
        </div>
      </section>
    </div>
  );
}
