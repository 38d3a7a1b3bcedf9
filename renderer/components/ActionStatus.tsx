import { useCallback, useState } from 'react';
import '../styles/feedback.css';

type StatusTone = 'done' | 'note' | 'problem';

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
 * Where an action confirms itself, next to the button that did it, as the app's other status lines do: the
 * status element comes with its message and is keyed by the serial, so a repeated "Copied" is a new
 * message that flashes and is read again.
 */
export function ActionStatus({ status, className }: { status: StatusMessage | null; className?: string }) {
  if (!status) return null;
  return (
    <span key={status.serial} role="status" className={`action-status tone-${status.tone}${className ? ` ${className}` : ''}`}>
      {status.tone === 'done' ? `✔ ${status.text}` : status.text}
    </span>
  );
}
