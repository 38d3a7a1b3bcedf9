import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { PreviewChunk, sourcesById, type SourceLookup, type UserChecks } from '../../../shared/preview/chunk.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { VendorUserChecks } from '../../../shared/vendors/user-rules.ts';
import { packPairs, unpackPairs, type ChunkInit, type FromWorker, type ToWorker } from './protocol.ts';
import { SnapshotSourceReader } from './snapshot-reader.ts';

/**
 * A pooled preview worker (worker-pool.ts): it holds the chunks of any number of preview sessions, each under
 * the id the runner gave it. For each chunk it compiles the mapping set, loads the users (reading them from the
 * workspace file itself when asked to), reports which of them get provisioned, previews them — running the
 * vendor's per-user rules on each as it goes — when the runner sends every chunk's provisioned ids, and then
 * answers requests for full previews until the runner closes the chunk.
 */
const port = parentPort!;

/** Users previewed between two looks at the chunk's cancel flag: a cancel stops the pass within milliseconds. */
const BATCH = 250;

interface ChunkState {
  init: ChunkInit;
  chunk: PreviewChunk;
  ordinals: number[] | null;
  checks: VendorUserChecks | null;
  cancel: Int32Array;
  /** the chunk's own connection: full previews read their user again by id */
  reader: SnapshotSourceReader | null;
}

const chunks = new Map<number, ChunkState>();

/**
 * The users of the last workspace chunk this worker read, kept for the next run: an edit re-runs the preview of
 * the same snapshot, and reading and parsing the chunk again was about a third of a worker's time for 10,000
 * users (docs/benchmarks.md, "Preview screen"). Chunks above KEEP_READ_UP_TO users are not kept (memory).
 */
let lastRead: { key: string; users: SourceObject[]; ordinals: number[] } | null = null;
const KEEP_READ_UP_TO = 25_000;

function readChunk(reader: SnapshotSourceReader, input: Extract<ChunkInit['input'], { kind: 'workspace' }>): { users: SourceObject[]; ordinals: number[] } {
  // Same file (not one saved over it), same snapshot (not a later one that took its id), same key range.
  const file = statSync(input.path);
  const key = [file.dev, file.ino, input.path, input.snapshotId, reader.stamp(input.snapshotId), input.fromId, input.toId].join('\u0000');
  if (lastRead?.key === key) return lastRead;
  lastRead = null;
  const read = reader.read(input.snapshotId, input.fromId, input.toId);
  // The engine only reads source objects, so chunks of later runs can share them.
  if (read.users.length <= KEEP_READ_UP_TO) lastRead = { key, ...read };
  return read;
}

function post(message: FromWorker): void {
  port.postMessage(message);
}

const cancelled = (state: ChunkState) => Atomics.load(state.cancel, 0) !== 0;

function open(id: number, init: ChunkInit, cancel: Int32Array): void {
  const compiled = compileMappingSet(init.set, {
    ...(init.dialect ? { dialect: init.dialect } : {}),
    ...(init.baseUrl ? { baseUrl: init.baseUrl } : {}),
  });
  const input = init.input;
  let users: SourceObject[];
  let lookup: SourceLookup;
  let ordinals: number[] | null = null;
  let reader: SnapshotSourceReader | null = null;
  if (input.kind === 'objects') {
    users = input.users;
    lookup = sourcesById(users);
  } else {
    const opened = new SnapshotSourceReader(input.path);
    reader = opened;
    ({ users, ordinals } = readChunk(opened, input));
    lookup = { source: (userId) => opened.source(input.snapshotId, userId) };
  }
  const checks = init.vendor ? new VendorUserChecks(init.vendor, init.set, { guests: true }) : null;
  const firstOrdinal = input.kind === 'objects' ? input.firstOrdinal : 0;
  const rowOrdinals = ordinals;
  const userChecks: UserChecks | undefined = checks
    ? { check: (preview, identity, position) => checks.add(preview, identity, rowOrdinals ? rowOrdinals[position]! : firstOrdinal + position) }
    : undefined;
  const chunk = new PreviewChunk(compiled, users, lookup, new Map(init.previous), init.skipOutOfScopeDeletions, userChecks);
  const state: ChunkState = { init, chunk, ordinals, checks, cancel, reader };
  chunks.set(id, state);
  if (cancelled(state)) return close(id);
  post({ type: 'loaded', chunk: id, count: chunk.size, provisioned: packPairs(chunk.provisioned()) });
}

function preview(id: number, provisioned: string): void {
  const state = chunks.get(id);
  if (!state) return;
  const { chunk, init } = state;
  chunk.setProvisioned(unpackPairs(provisioned));
  for (let from = 0; from < chunk.size; from += BATCH) {
    if (cancelled(state)) return close(id);
    const to = Math.min(chunk.size, from + BATCH);
    chunk.previewRange(from, to);
    if (Math.floor(to / init.progressEvery) > Math.floor(from / init.progressEvery)) post({ type: 'progress', chunk: id, done: to });
  }
  post({ type: 'done', chunk: id, stats: chunk.stats, rows: chunk.rows, ordinals: state.ordinals, groups: chunk.groups.partials(), vendor: state.checks?.partial() ?? null });
}

function close(id: number): void {
  chunks.get(id)?.reader?.close();
  chunks.delete(id);
}

function stateOf(id: number): ChunkState {
  const state = chunks.get(id);
  if (!state) throw new Error('This preview is no longer held by its worker; run the preview again.');
  return state;
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'open') open(message.chunk, message.init, message.cancel);
    else if (message.type === 'preview') preview(message.chunk, message.provisioned);
    else if (message.type === 'get') post({ type: 'users', chunk: message.chunk, requestId: message.requestId, users: stateOf(message.chunk).chunk.get(message.ids) });
    else if (message.type === 'sends') {
      const sends = stateOf(message.chunk).checks?.sendsOf(new Set(message.hashes)) ?? [];
      post({ type: 'sends', chunk: message.chunk, requestId: message.requestId, sends });
    } else close(message.chunk);
  } catch (error) {
    if (message.type === 'open' || message.type === 'preview') close(message.chunk);
    post({
      type: 'failed',
      chunk: message.chunk,
      message: (error as Error).stack ?? String(error),
      ...(message.type === 'get' || message.type === 'sends' ? { requestId: message.requestId } : {}),
    });
  }
});
