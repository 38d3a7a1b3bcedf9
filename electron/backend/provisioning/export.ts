/**
 * The audit log as files an admin hands on: JSON (every step with its requests and responses) and CSV (one
 * row per object, the columns of Entra's provisioning log download).
 */
import { csvDocument, csvLine } from '../../../shared/csv.ts';
import type { AuditStep } from './types.ts';

/** An audit entry as the cycle returns it or as the workspace stores it. */
interface ExportableEntry {
  objectType: string;
  sourceId: string;
  label: string;
  action: string;
  status: string;
  reason: string | null;
  errorCode: string | null;
  targetId: string | null;
  durationMs: number;
  steps: AuditStep[];
}

const CSV_COLUMNS = ['objectType', 'sourceId', 'label', 'action', 'status', 'reason', 'errorCode', 'targetId', 'durationMs', 'requests', 'steps'] as const;

export function auditToCsv(entries: readonly ExportableEntry[]): string {
  const lines = [csvLine(CSV_COLUMNS)];
  for (const entry of entries) {
    const requests = entry.steps.flatMap((s) => s.requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search} → ${r.status ?? r.errorCode}`));
    const steps = entry.steps.map((s) => `${s.name}: ${s.status}${s.summary ? ` (${s.summary})` : ''}`);
    lines.push(
      csvLine([entry.objectType, entry.sourceId, entry.label, entry.action, entry.status, entry.reason, entry.errorCode, entry.targetId, entry.durationMs, requests.join(' | '), steps.join(' | ')]),
    );
  }
  return csvDocument(lines);
}

export function auditToJson(run: Record<string, unknown>, entries: readonly ExportableEntry[]): string {
  return `${JSON.stringify({ run, entries }, null, 2)}\n`;
}
