import { useEffect, useState } from 'react';

/** Copies a value to the clipboard and says so for a moment; the label names what is copied. */
export function CopyButton({ value, label }: { value: string | null; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    if (value === null) return;
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      // the clipboard can be unavailable (an http origin other than localhost); the field stays selectable
      setState('failed');
    }
  };

  return (
    <button type="button" className="mock-copy" onClick={copy} disabled={value === null} aria-label={`Copy ${label}`}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}
    </button>
  );
}
