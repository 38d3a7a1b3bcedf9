/**
 * The audit log as files an admin hands on: JSON (every step with its requests and responses) and CSV (one
 * row per object, the columns of Entra's provisioning log download).
 */
import { closeSync, createReadStream, createWriteStream, openSync, rmSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
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

/** `value` as JSON.stringify(..., null, 2) prints it `depth` levels down: the pieces of the log, printed as one document would be. */
const nested = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
const headOf = (run: Record<string, unknown>) => `{\n  "run": ${nested(run, 1)},\n  "entries": [`;
const entryText = (entry: ExportableEntry) => `    ${nested(entry, 2)}`;
const tailOf = (count: number) => (count === 0 ? ']\n}\n' : '\n  ]\n}\n');

export function auditToJson(run: Record<string, unknown>, entries: readonly ExportableEntry[]): string {
  return `${headOf(run)}${entries.length > 0 ? `\n${entries.map(entryText).join(',\n')}` : ''}${tailOf(entries.length)}`;
}

/**
 * The JSON audit log written as the cycle goes: each entry is appended to a side file when it happens and forgotten,
 * and finish() writes the document (the run first, with its summary) by streaming that file in. The bytes are
 * auditToJson's.
 */
export class AuditJsonFile {
  private readonly entriesPath: string;
  private readonly fd: number;
  private count = 0;

  constructor(private readonly path: string) {
    this.entriesPath = `${path}.entries.tmp`;
    this.fd = openSync(this.entriesPath, 'w');
  }

  add(entry: ExportableEntry): void {
    writeSync(this.fd, `${this.count === 0 ? '\n' : ',\n'}${entryText(entry)}`);
    this.count++;
  }

  async finish(run: Record<string, unknown>): Promise<void> {
    closeSync(this.fd);
    try {
      const out = createWriteStream(this.path);
      out.write(headOf(run));
      await pipeline(createReadStream(this.entriesPath), out, { end: false });
      out.end(tailOf(this.count));
      await once(out, 'finish');
    } finally {
      rmSync(this.entriesPath, { force: true });
    }
  }
}
