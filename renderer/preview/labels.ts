import type { Dialect, UserAction } from './types.ts';

/** The actions in the order an admin reads a provisioning cycle, with the words the table shows. */
export const actionOrder: readonly UserAction[] = ['create', 'update', 'deactivate', 'delete', 'none', 'skip', 'error'];

export const actionLabels: Record<UserAction, string> = {
  create: 'Create',
  update: 'Update',
  deactivate: 'Deactivate',
  delete: 'Delete',
  none: 'No change',
  skip: 'Skipped',
  error: 'Error',
};

export type SeverityName = 'error' | 'warning' | 'info';

/** Severity is said with an icon (components/SeverityIcon.tsx) and a word, never by colour alone. */
export const severityLabels: Record<SeverityName, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

export const dialectLabels: Record<Dialect, string> = {
  default: 'Entra default',
  aadOptscim062020: 'aadOptscim062020',
};

/**
 * The one-line difference between the two PATCH dialects (Microsoft Learn "Known issues and resolutions with SCIM 2.0
 * protocol compliance", its table of flag behaviours).
 */
export const dialectExplanation =
  'Entra default sends booleans as the strings "False"/"True" and removes a group member with a value array ' +
  '(path "members", value [{"value": id}]); aadOptscim062020 sends JSON booleans (false/true) and removes a member ' +
  'with a filtered path (members[value eq "id"]).';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 error", "2 errors", "1,024 errors": the count with its noun in the right number. */
export function countOf(n: number, noun: string): string {
  return `${formatCount(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** A payload value as a cell shows it: strings quoted, so "" and a missing value read differently. */
export function showPayloadValue(value: unknown): string {
  if (value === undefined) return '(not sent)';
  if (value === null) return 'null';
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}
