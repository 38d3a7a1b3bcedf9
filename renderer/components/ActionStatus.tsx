import { useCallback, useState } from 'react';
import '../styles/feedback.css';

export type StatusTone = 'done' | 'note' | 'problem';

interface StatusMessage {
  text: string;
  tone: StatusTone;
  /** counts the messages, so the same text said twice is drawn (and announced) again */
  serial: number;
}

/** The confirmation of the last action: `say` replaces it, `clear` removes it. */
export function useActionStatus(): { status: StatusMessage | null; say(text: string, tone?: StatusTone): void; clear(): void } {
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const say = useCallback((text: string, tone: StatusTone = 'done') => setStatus((s) => ({ text, tone, serial: (s?.serial ?? 0) + 1 })), []);
  const clear = useCallback(() => setStatus(null), []);
  return { status, say, clear };
}

/**
 * Where an action confirms itself, next to the button that did it. The live region is always in the page
 * (a region inserted together with its text is not announced); the message inside is keyed by its serial,
 * so a repeated "Copied" flashes and is read again.
 */
export function ActionStatus({ status, className }: { status: StatusMessage | null; className?: string }) {
  return (
    <span role="status" className={`action-status${className ? ` ${className}` : ''}`}>
      {status && (
        <span key={status.serial} className={`action-status-text tone-${status.tone}`}>
          {status.tone === 'done' ? `✔ ${status.text}` : status.text}
        </span>
      )}
    </span>
  );
}
