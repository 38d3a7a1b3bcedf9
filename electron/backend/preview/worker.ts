import { parentPort, workerData } from 'node:worker_threads';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { PreviewChunk, sourcesById, type SourceLookup } from '../../../shared/preview/chunk.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { packPairs, unpackPairs, type FromWorker, type ToWorker, type VendorViewUser, type WorkerInit } from './protocol.ts';
import { SnapshotSourceReader } from './snapshot-reader.ts';

/**
 * One worker owns one chunk of the snapshot for a preview session: it compiles the mapping set once, loads its
 * users (reading them from the workspace file itself when asked to), reports which of them get provisioned,
 * previews them when the runner sends every chunk's provisioned ids, and then answers requests for full
 * previews until the session ends (the runner terminates it).
 */
const port = parentPort!;
const init = workerData as WorkerInit;

function post(message: FromWorker): void {
  port.postMessage(message);
}

interface Loaded {
  users: SourceObject[];
  lookup: SourceLookup;
  ordinals: number[] | null;
}

function load(): Loaded {
  const input = init.input;
  if (input.kind === 'objects') return { users: input.users, lookup: sourcesById(input.users), ordinals: null };
  // The reader stays open for the session: full previews read their user again by id.
  const reader = new SnapshotSourceReader(input.path);
  const { users, ordinals } = reader.read(input.snapshotId, input.fromId, input.toId);
  return { users, ordinals, lookup: { source: (id) => reader.source(input.snapshotId, id) } };
}

let chunk: PreviewChunk;
let ordinals: number[] | null = null;
try {
  const compiled = compileMappingSet(init.set, {
    ...(init.dialect ? { dialect: init.dialect } : {}),
    ...(init.baseUrl ? { baseUrl: init.baseUrl } : {}),
  });
  const loaded = load();
  ordinals = loaded.ordinals;
  chunk = new PreviewChunk(compiled, loaded.users, loaded.lookup, new Map(init.previous), init.skipOutOfScopeDeletions);
  post({ type: 'loaded', count: chunk.size, provisioned: packPairs(chunk.provisioned()) });
} catch (error) {
  post({ type: 'failed', message: (error as Error).stack ?? String(error) });
}

function vendorView(ids: readonly string[] | null): VendorViewUser[] {
  return chunk.get(ids).map((user) => ({
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    inScope: user.inScope,
    action: user.action,
    ...(user.reason !== undefined ? { reason: user.reason } : {}),
    target: user.target,
    requests: [],
    findings: user.findings,
    identity: chunk.identity(user.id),
  }));
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'preview') {
      chunk.setProvisioned(unpackPairs(message.provisioned));
      chunk.previewRange(0, chunk.size, init.progressEvery, (done) => post({ type: 'progress', done }));
      post({ type: 'done', stats: chunk.stats, rows: chunk.rows, ordinals, groups: chunk.groups.partials() });
    } else {
      post({ type: 'users', requestId: message.requestId, users: message.view === 'vendor' ? vendorView(message.ids) : chunk.get(message.ids) });
    }
  } catch (error) {
    post({ type: 'failed', message: (error as Error).stack ?? String(error), ...(message.type === 'get' ? { requestId: message.requestId } : {}) });
  }
});
