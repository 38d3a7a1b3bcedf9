import type { SeverityName } from '../preview/labels.ts';
import { countOf, severityLabels } from '../preview/labels.ts';

/**
 * Severity glyphs come from the codicon font Monaco already ships, not from emoji: an emoji renders as an
 * empty box where no emoji font is installed (a fresh Linux or a locked-down Windows image).
 */
export function SeverityIcon({ severity }: { severity: SeverityName }) {
  return <span className={`severity-icon codicon codicon-${severity}`} aria-hidden="true" />;
}

/** "3 errors" with its icon; red or amber only when there is something to see ("0 errors" stays muted). */
export function SeverityCount({ severity, count }: { severity: Exclude<SeverityName, 'info'>; count: number }) {
  return (
    <span className={`severity-count ${count > 0 ? `severity-${severity}` : 'severity-none'}`}>
      <SeverityIcon severity={severity} /> {countOf(count, severityLabels[severity].toLowerCase())}
    </span>
  );
}
