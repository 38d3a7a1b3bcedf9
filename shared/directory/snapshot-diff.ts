/**
 * Compares two directory snapshots by object id: users added, removed, and changed with the source
 * attributes that changed. This is what an incremental provisioning cycle acts on (Entra sends a PATCH
 * only for users whose mapped sources changed), so the comparison runs on source objects, not raw Graph JSON.
 */
import type { SourceObject, SourceValue } from './source-object.ts';

interface SnapshotEntry {
  id: string;
  source: SourceObject | Readonly<Record<string, unknown>>;
}

interface AttributeChange {
  attribute: string;
  before: SourceValue;
  after: SourceValue;
}

interface ChangedEntry {
  id: string;
  changes: AttributeChange[];
}

export interface SnapshotDiff {
  added: string[];
  removed: string[];
  changed: ChangedEntry[];
  unchanged: number;
}

function normalise(value: unknown): SourceValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  return JSON.stringify(value);
}

/**
 * Equal in Entra's eyes: absent and null are both "no value" (Microsoft Learn "Reference for writing expressions for
 * attribute mappings", IsNullOrEmpty); multi-valued attributes are compared as sets, since Graph does not promise an
 * order for proxyAddresses and the like.
 */
export function sameSourceValue(a: SourceValue, b: SourceValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const left = [...a].sort();
    const right = [...b].sort();
    return left.every((value, index) => value === right[index]);
  }
  return a === b;
}

export function diffSources(before: SnapshotEntry['source'], after: SnapshotEntry['source']): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const attribute of names) {
    const b = normalise((before as Record<string, unknown>)[attribute]);
    const a = normalise((after as Record<string, unknown>)[attribute]);
    if (!sameSourceValue(b, a)) changes.push({ attribute, before: b, after: a });
  }
  return changes;
}

/** Added and changed follow the order of `after`; removed follows the order of `before`. */
export function diffSnapshots(before: Iterable<SnapshotEntry>, after: Iterable<SnapshotEntry>): SnapshotDiff {
  const previous = new Map<string, SnapshotEntry['source']>();
  for (const entry of before) previous.set(entry.id, entry.source);
  const added: string[] = [];
  const changed: ChangedEntry[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const entry of after) {
    seen.add(entry.id);
    const old = previous.get(entry.id);
    if (old === undefined) {
      added.push(entry.id);
      continue;
    }
    const changes = diffSources(old, entry.source);
    if (changes.length > 0) changed.push({ id: entry.id, changes });
    else unchanged++;
  }
  const removed = [...previous.keys()].filter((id) => !seen.has(id));
  return { added, removed, changed, unchanged };
}
