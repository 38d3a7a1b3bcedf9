import { useEffect, type ReactNode } from 'react';
import { ActionStatus, useActionStatus } from './ActionStatus.tsx';
import { disabledBecause } from './disabled-reason.ts';

interface CopyButtonProps {
  /** the text to copy; null while there is none yet */
  value: string | null;
  /** why there is nothing to copy while value is null (the disabled button's reason) */
  unavailable?: string;
  /** the button's accessible name when its text is not enough ("Copy Tenant URL") */
  ariaLabel?: string;
  children?: ReactNode;
  copiedText?: string;
  failedText?: string;
  statusClassName?: string;
  /** the clipboard refused: the caller shows the text to select by hand */
  onFailed?(): void;
}

const CONFIRMATION_MS = 4000;

/** Copies a value and says so beside the button, every time it is clicked (a repeated copy flashes again). */
export function CopyButton({ value, unavailable = 'Nothing to copy yet', ariaLabel, children = 'Copy', copiedText = 'Copied', failedText = 'The clipboard refused: select the text and copy it', statusClassName, onFailed }: CopyButtonProps) {
  const { status, say, clear } = useActionStatus();

  // The confirmation is for the click that caused it; it goes after a moment so it never speaks for a later value.
  useEffect(() => {
    if (status?.tone !== 'done') return;
    const timer = setTimeout(clear, CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [status, clear]);

  const copy = async () => {
    if (value === null) return;
    try {
      await navigator.clipboard.writeText(value);
      say(copiedText);
    } catch {
      // The clipboard can be refused (no focus, a permissions policy, an insecure origin); the text stays selectable.
      say(failedText, 'problem');
      onFailed?.();
    }
  };

  return (
    <span className="copy-action">
      <button type="button" onClick={() => void copy()} aria-label={ariaLabel} {...disabledBecause(value === null && unavailable)}>
        {children}
      </button>
      <ActionStatus status={status} className={statusClassName} />
    </span>
  );
}
