import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import '../styles/confirm-write.css';

export interface WriteTarget {
  /** what is written: "Microsoft Entra tenant" or "the vendor's SCIM service" */
  kind: string;
  /** the tenant (name and id) */
  tenant: string;
  /** the enterprise app (and its job) */
  app: string;
}

interface ConfirmWriteDialogProps {
  title: string;
  target: WriteTarget;
  /** what will happen, in plain words: the impact, who is touched */
  children: ReactNode;
  /** the button that writes, e.g. "Apply to tenant" */
  confirmLabel: string;
  /** the admin types this (the app's name) before the write is enabled; a slip of the mouse cannot write */
  typeToConfirm: string;
  busy?: boolean;
  error?: string | null;
  /** receives what the admin typed, so the backend can check the confirmation too */
  onConfirm(typed: string): void;
  onCancel(): void;
}

/**
 * The one confirmation before the app writes to a tenant or a vendor: it names what it touches (tenant, app) and
 * what will happen, and writes only after the admin types the app's name. Escape and Cancel close it without writing;
 * focus starts on Cancel, the safe choice, and returns to the opener.
 */
export function ConfirmWriteDialog({ title, target, children, confirmLabel, typeToConfirm, busy = false, error = null, onConfirm, onCancel }: ConfirmWriteDialogProps) {
  const [typed, setTyped] = useState('');
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const inputId = useId();

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancel.current?.focus();
    return () => opener?.focus();
  }, []);

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !busy) onCancel();
  };
  const confirmed = typed.trim() === typeToConfirm.trim();
  return (
    <div className="confirm-write-backdrop">
      <section role="dialog" aria-modal="true" aria-labelledby={titleId} className="confirm-write" onKeyDown={onKey}>
        <h2 id={titleId}>{title}</h2>
        <dl className="confirm-write-target">
          <dt>Writes to</dt>
          <dd>{target.kind}</dd>
          <dt>Tenant</dt>
          <dd>{target.tenant}</dd>
          <dt>App</dt>
          <dd>{target.app}</dd>
        </dl>
        <div className="confirm-write-impact">{children}</div>
        <label htmlFor={inputId} className="confirm-write-type">
          Type <strong>{typeToConfirm}</strong> to confirm
        </label>
        <input id={inputId} value={typed} autoComplete="off" spellCheck={false} disabled={busy} onChange={(e) => setTyped(e.target.value)} />
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="confirm-write-actions">
          <button ref={cancel} type="button" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={!confirmed || busy}
            title={confirmed ? undefined : `Type ${typeToConfirm} first`}
            onClick={() => onConfirm(typed.trim())}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </section>
    </div>
  );
}
