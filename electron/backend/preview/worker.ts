import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { PreviewChunk, sourcesById, type SourceLookup, type UserChecks } from '../../../shared/preview/chunk.ts';
import type { PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { ProvisionedOnDemand } from '../../../shared/preview/provisioned-on-demand.ts';
import { scanPart, type RedactionScanPart } from '../../../shared/reports/redact-scan.ts';
import { VendorUserChecks } from '../../../shared/vendors/user-rules.ts';
import { ACKED, CANCEL, IN_FLIGHT, PackedPairs, packPairs, READ_BATCH, ROW_BATCH, type ChunkInit, type FromWorker, type ToWorker } from './protocol.ts';
import { SnapshotSourceReader } from './snapshot-reader.ts';

/**
 * A pooled preview worker (worker-pool.ts): it holds the chunks of any number of preview sessions, each under
 * the id the runner gave it, and previews each chunk once, running the vendor's per-user rules on each user as it
 * goes and handing their index rows back a batch at a time; it then answers requests for full previews until the
 * runner closes the chunk. A chunk read from the workspace file is previewed as soon as it is opened, streamed a
 * batch at a time, and finds which of its users' managers get provisioned itself (ProvisionedOnDemand); a chunk of
 * users given in memory first reports which of them get provisioned and is previewed when the runner sends every
 * chunk's (manager links cross chunks).
 */
const port = parentPort!;

/** A chunk's users, a batch at a time, each with its place in the snapshot; can be gone over more than once. */
type UserBatches = () => Iterable<{ users: SourceObject[]; ordinals: number[] }>;

interface ChunkState {
  init: ChunkInit;
  chunk: PreviewChunk;
  batches: UserBatches;
  checks: VendorUserChecks | null;
  flags: Int32Array;
  /** the chunk's own connections: the pass streams from the first; the second reads users by id meanwhile */
  readers: SnapshotSourceReader[];
  /** a workspace chunk's manager links, looked up in the file; null when the runner sends every chunk's provisioned users */
  managers: ProvisionedOnDemand | null;
  /** what identifies a workspace chunk's read for the next run (workspaceBatches), null for users given in memory */
  key: string | null;
  /** the snapshot place of each user of the batch being previewed, from position `base` on (the vendor's rules name it) */
  ordinalsAt: { base: number; ordinals: number[] };
}

const chunks = new Map<number, ChunkState>();

/**
 * The users of the last workspace chunk this worker read, kept for the next run: an edit re-runs the preview of
 * the same snapshot, and reading and parsing the chunk again was about a third of a worker's time for 10,000
 * users (docs/benchmarks.md, "Preview screen"). Chunks above KEEP_READ_UP_TO users are not kept (memory).
 */
let lastRead: { key: string; users: SourceObject[]; ordinals: number[] } | null = null;
const KEEP_READ_UP_TO = 25_000;


function* slices(users: SourceObject[], ordinals: number[]): Generator<{ users: SourceObject[]; ordinals: number[] }> {
  for (let from = 0; from < users.length; from += READ_BATCH) yield { users: users.slice(from, from + READ_BATCH), ordinals: ordinals.slice(from, from + READ_BATCH) };
}

/** The chunk's users as batches: from the last read when it is this one, otherwise streamed from the file. */
function workspaceBatches(reader: SnapshotSourceReader, input: Extract<ChunkInit['input'], { kind: 'workspace' }>): { batches: UserBatches; key: string } {
  // Same file (not one saved over it), same snapshot (not a later one that took its id), same range.
  const file = statSync(input.path);
  const key = [file.dev, file.ino, input.path, input.snapshotId, reader.stamp(input.snapshotId), input.from, input.to].join('\u0000');
  const kept = lastRead?.key === key ? lastRead : null;
  if (!kept) lastRead = null;
  return { key, batches: kept ? () => slices(kept.users, kept.ordinals) : () => reader.batches(input.snapshotId, input.from, input.to, READ_BATCH) };
}

function post(message: FromWorker): void {
  port.postMessage(message);
}

const cancelled = (state: ChunkState) => Atomics.load(state.flags, CANCEL) !== 0;

function open(id: number, init: ChunkInit, flags: Int32Array): void {
  const compiled = compileMappingSet(init.set, {
    ...(init.dialect ? { dialect: init.dialect } : {}),
    ...(init.baseUrl ? { baseUrl: init.baseUrl } : {}),
  });
  const input = init.input;
  const previous = new Map(init.previous);
  let batches: UserBatches;
  let lookup: SourceLookup;
  let managers: ProvisionedOnDemand | null = null;
  const readers: SnapshotSourceReader[] = [];
  let key: string | null = null;
  if (input.kind === 'objects') {
    const ordinals = input.users.map((_, i) => input.firstOrdinal + i);
    batches = () => slices(input.users, ordinals);
    lookup = sourcesById(input.users);
  } else {
    const stream = new SnapshotSourceReader(input.path, { stream: true });
    readers.push(stream);
    ({ batches, key } = workspaceBatches(stream, input));
    // A second connection: the pass's statement keeps the first busy while managers are read by id.
    const byId = new SnapshotSourceReader(input.path);
    readers.push(byId);
    lookup = { source: (userId) => byId.source(input.snapshotId, userId) };
    managers = new ProvisionedOnDemand(compiled, previous, lookup);
  }
  const checks = init.vendor ? new VendorUserChecks(init.vendor, init.set, { guests: true }) : null;
  const ordinalsAt = { base: 0, ordinals: [] as number[] };
  const userChecks: UserChecks | undefined = checks
    ? { check: (preview, identity, position) => checks.add(preview, identity, ordinalsAt.ordinals[position - ordinalsAt.base]!) }
    : undefined;
  const chunk = new PreviewChunk(compiled, [], lookup, previous, init.skipOutOfScopeDeletions, userChecks);
  const state: ChunkState = { init, chunk, batches, checks, flags, readers, managers, key, ordinalsAt };
  chunks.set(id, state);
  if (managers) {
    chunk.setProvisioned(managers);
    pass(id, state);
    return;
  }
  // Users given in memory: which of them get provisioned first (manager links need every chunk's before any user is previewed).
  let count = 0;
  let provisioned = '';
  for (const batch of batches()) {
    if (cancelled(state)) return close(id);
    count += batch.users.length;
    provisioned += packPairs(chunk.provisionedOf(batch.users));
  }
  post({ type: 'loaded', chunk: id, count, provisioned });
}

/** Waits until the runner has stored all but IN_FLIGHT of the batches sent (or the chunk is cancelled). */
function waitForRoom(state: ChunkState, sent: number): void {
  for (;;) {
    const acked = Atomics.load(state.flags, ACKED);
    if (sent - acked < IN_FLIGHT || cancelled(state)) return;
    Atomics.wait(state.flags, ACKED, acked, 100);
  }
}

function preview(id: number, provisioned: string): void {
  const state = chunks.get(id);
  if (!state) return;
  state.chunk.setProvisioned(new PackedPairs(provisioned));
  pass(id, state);
}

/**
 * Previews the chunk's users a batch at a time and hands their rows back. A workspace chunk also collects its
 * provisioned users as it goes (the session's group members link to them) and keeps a small chunk's users for the
 * next run.
 */
function pass(id: number, state: ChunkState): void {
  const { chunk, managers } = state;
  let sent = 0;
  let position = 0;
  let peakHeap = 0;
  let provisioned = '';
  let kept: { users: SourceObject[]; ordinals: number[] } | null = state.key !== null && lastRead === null ? { users: [], ordinals: [] } : null;
  // Rows wait here until ROW_BATCH of them go back in one message.
  let rows: PreviewIndexRow[] = [];
  let rowOrdinals: number[] = [];
  const send = () => {
    post({ type: 'rows', chunk: id, rows, ordinals: rowOrdinals });
    rows = [];
    rowOrdinals = [];
    waitForRoom(state, ++sent);
  };
  for (const batch of state.batches()) {
    // Out of the loop before closing: the reader's statement is still open while its batches are gone over.
    if (cancelled(state)) break;
    if (managers) {
      const pairs = chunk.provisionedOf(batch.users);
      managers.meet(batch.users, pairs);
      provisioned += packPairs(pairs);
    }
    if (kept && kept.users.length + batch.users.length <= KEEP_READ_UP_TO) {
      kept.users.push(...batch.users);
      kept.ordinals.push(...batch.ordinals);
    } else kept = null;
    state.ordinalsAt.base = position;
    state.ordinalsAt.ordinals = batch.ordinals;
    position += batch.users.length;
    rows.push(...chunk.previewBatch(batch.users));
    rowOrdinals.push(...batch.ordinals);
    if (rows.length >= ROW_BATCH) send();
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  }
  if (cancelled(state)) return close(id);
  if (rows.length > 0) send();
  // The engine only reads source objects, so later runs' chunks can share them.
  if (kept && state.key !== null) lastRead = { key: state.key, ...kept };
  post({
    type: 'done',
    chunk: id,
    stats: chunk.stats,
    groups: chunk.groups.partials(),
    vendor: state.checks?.partial() ?? null,
    peakHeapMb: peakHeap / 2 ** 20,
    ...(managers ? { provisioned } : {}),
  });
}

/** The chunk's users read again for a report's redaction: which of them it must know (redact-scan.ts). */
function scan(id: number, texts: string[], wanted: string[]): RedactionScanPart {
  const batches = stateOf(id).batches();
  function* users(): Generator<SourceObject> {
    for (const batch of batches) yield* batch.users;
  }
  return scanPart(texts, wanted, users());
}

function close(id: number): void {
  for (const reader of chunks.get(id)?.readers ?? []) reader.close();
  chunks.delete(id);
}

function stateOf(id: number): ChunkState {
  const state = chunks.get(id);
  if (!state) throw new Error('This preview is no longer held by its worker; run the preview again.');
  return state;
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'open') open(message.chunk, message.init, message.flags);
    else if (message.type === 'preview') preview(message.chunk, message.provisioned);
    else if (message.type === 'get') post({ type: 'users', chunk: message.chunk, requestId: message.requestId, users: stateOf(message.chunk).chunk.get(message.ids) });
    else if (message.type === 'sends') {
      const sends = stateOf(message.chunk).checks?.sendsOf(new Set(message.hashes)) ?? [];
      post({ type: 'sends', chunk: message.chunk, requestId: message.requestId, sends });
    } else if (message.type === 'scan') {
      post({ type: 'scanned', chunk: message.chunk, requestId: message.requestId, found: scan(message.chunk, message.texts, message.wanted) });
    } else close(message.chunk);
  } catch (error) {
    if (message.type === 'open' || message.type === 'preview') close(message.chunk);
    post({
      type: 'failed',
      chunk: message.chunk,
      message: (error as Error).stack ?? String(error),
      ...(message.type === 'get' || message.type === 'sends' || message.type === 'scan' ? { requestId: message.requestId } : {}),
    });
  }
});
