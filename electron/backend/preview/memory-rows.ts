import { addFindingsToRow, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { USER_ACTIONS, type Finding, type PreviewSummary } from '../../../shared/preview/types.ts';
import { codesText, searchTerm, searchText, type PreviewRowFilter, type PreviewRows } from './row-store.ts';

interface Entry {
  ordinal: number;
  chunk: number;
  row: PreviewIndexRow;
}

/**
 * A run's index rows held as objects, for runs small enough that this costs less than the SQLite file (row-store.ts):
 * the same answers, filters decided by the same texts (codesText, searchText), pages by a scan as the file's are.
 */
export class MemoryRows implements PreviewRows {
  private entries: Entry[] = [];
  /** position in `entries` by user id, rebuilt once the entries are in snapshot order */
  private byId = new Map<string, number>();
  private sorted = true;
  private end = 0;

  add(rows: readonly PreviewIndexRow[], ordinals: readonly number[], chunk: number): void {
    rows.forEach((row, i) => {
      const ordinal = ordinals[i]!;
      if (this.entries.length > 0 && ordinal < this.entries.at(-1)!.ordinal) this.sorted = false;
      this.byId.set(row.id, this.entries.length);
      this.entries.push({ ordinal, chunk, row });
      this.end = Math.max(this.end, ordinal + 1);
    });
  }

  finish(): void {
    this.inOrder();
  }

  /** The entries in snapshot order (chunks hand their batches back interleaved). */
  private inOrder(): Entry[] {
    if (!this.sorted) {
      this.entries.sort((a, b) => a.ordinal - b.ordinal);
      this.byId = new Map(this.entries.map((entry, i) => [entry.row.id, i]));
      this.sorted = true;
    }
    return this.entries;
  }

  nextOrdinal(): number {
    return this.end;
  }

  get size(): number {
    return this.entries.length;
  }

  private entry(id: string): Entry | undefined {
    const at = this.byId.get(id);
    return at === undefined ? undefined : this.inOrder()[at];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  row(id: string): PreviewIndexRow | undefined {
    const row = this.entry(id)?.row;
    return row && copy(row);
  }

  chunkOf(id: string): number | undefined {
    return this.entry(id)?.chunk;
  }

  byAction(): PreviewSummary['byAction'] {
    const counts = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as PreviewSummary['byAction'];
    for (const { row } of this.entries) counts[row.action]++;
    return counts;
  }

  addFindings(id: string, findings: readonly Finding[]): void {
    const row = this.entry(id)?.row;
    if (row) addFindingsToRow(row, findings);
  }

  rows(offset = 0, limit = -1): PreviewIndexRow[] {
    const entries = this.inOrder();
    return entries.slice(offset, limit < 0 ? entries.length : offset + limit).map((entry) => copy(entry.row));
  }

  page(filter: PreviewRowFilter, offset: number, limit: number): { total: number; rows: PreviewIndexRow[] } {
    const code = filter.findingCode === undefined ? null : ` ${filter.findingCode} `;
    const term = searchTerm(filter);
    const rows: PreviewIndexRow[] = [];
    let total = 0;
    for (const { row } of this.inOrder()) {
      if (filter.action !== undefined && row.action !== filter.action) continue;
      if (code !== null && !codesText(row.codes).includes(code)) continue;
      if (term !== '' && !searchText(row).includes(term)) continue;
      if (total >= offset && rows.length < limit) rows.push(copy(row));
      total++;
    }
    return { total, rows };
  }

  close(): void {
    this.entries = [];
    this.byId.clear();
  }
}

/** A row as handed out: the caller may change it (the service adds findings) without changing the store's. */
function copy(row: PreviewIndexRow): PreviewIndexRow {
  return { ...row, codes: [...row.codes] };
}
