/**
 * From what the directory layer read (Graph, CSV or JSON) to a workspace snapshot: Graph's raw JSON per user beside the
 * derived source object (docs/architecture.md, "Data"), written in one transaction by the workspace store so a failed
 * or cancelled read never leaves a partial snapshot.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { SnapshotSummary } from '../../../shared/api.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { UsersFileReader, usersFileFormat, type UsersFileFormat, type UsersFileOutcome } from '../../../shared/directory/users-file.ts';
import {
  graphUserToSource,
  type AppRoleAssignmentRef,
  type GraphUser,
} from '../../../shared/directory/graph-to-source.ts';
import { MANAGER_EXPAND, graphUserSelect } from '../../../shared/directory/source-schema.ts';
import { toSnapshotGroups } from '../workspace/demo-tenant.ts';
import type { SnapshotUserInput, WorkspaceStore } from '../workspace/store.ts';
import type { SnapshotRefreshWriter } from '../workspace/snapshot-refresh.ts';
import type { DeltaGroup, DeltaUser, DirectoryChanges } from './graph-delta.ts';
import { sourceRevision } from './users-file-rows.ts';
import { convertUsersFile } from './users-file-thread.ts';

export interface SourceContext {
  /** declared directory extensions (only these extension_* keys become source attributes) */
  directoryExtensions?: readonly string[];
  /** "Sync only assigned users and groups": the ids in scope; null or absent = "Sync all" */
  assignedUserIds?: ReadonlySet<string> | null;
  /** app roles per user for the app-role functions */
  appRolesByUser?: Readonly<Record<string, readonly AppRoleAssignmentRef[]>>;
}

export function toSourceSnapshotUsers(users: readonly GraphUser[], context: SourceContext = {}): SnapshotUserInput[] {
  return users.map((user) => ({
    raw: user as Record<string, unknown>,
    source: {
      ...graphUserToSource(user, {
        directoryExtensions: context.directoryExtensions,
        assignedToApp: context.assignedUserIds ? context.assignedUserIds.has(user.id) : undefined,
        appRoleAssignments: context.appRolesByUser?.[user.id],
      }),
    },
  }));
}

/** Text chunks of about this many bytes: large enough for few calls, small enough that a huge file is never held. */
const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * A file's text in chunks, decoded as UTF-8 without splitting a character between two chunks. The file is opened
 * now, so a missing or unreadable file fails here rather than part-way through an import.
 */
export function fileTextChunks(path: string, chunkBytes = FILE_CHUNK_BYTES): Iterable<string> {
  const fd = openSync(path, 'r');
  return (function* chunks() {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(chunkBytes);
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, chunkBytes, null);
        if (read === 0) break;
        const text = decoder.write(buffer.subarray(0, read));
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest) yield rest;
    } finally {
      closeSync(fd);
    }
  })();
}

interface UsersFileImport {
  snapshot: SnapshotSummary;
  format: UsersFileFormat;
  warnings: string[];
}

/**
 * Imports a users file streamed in text chunks into a new snapshot: each user is checked, converted and written as it
 * is read, in the one transaction of the workspace writer, so only a few chunks' users are held at a time. The checks
 * and conversion of a file of more than one chunk run in a thread of their own beside the inserts (users-file-thread.ts). A file with any problem throws
 * a UsersFileImportError (the transaction is rolled back: nothing is imported); after the first problem nothing more is
 * converted or written, and reading stops as soon as the rest cannot change the outcome.
 */
export function importUsersFile(
  store: WorkspaceStore,
  input: { projectId: number; label: string; fileName: string; chunks: Iterable<string> },
): UsersFileImport {
  const chunks = input.chunks[Symbol.iterator]();
  try {
    const file = convertUsersFile(input.fileName, chunks);
    try {
      // The snapshot row names its origin: wait until the first characters tell which kind of file this is.
      const origin = file.format() ?? usersFileFormat(input.fileName, '');
      const snapshot = store.addSnapshot({
        projectId: input.projectId,
        label: input.label,
        origin,
        userRows: file.rows(),
        reviseSources: () => {
          const revise = file.revise;
          return revise && sourceRevision(revise);
        },
      });
      const { format, warnings } = file.outcome;
      return { snapshot, format, warnings };
    } finally {
      file.close();
    }
  } finally {
    chunks.return?.();
  }
}

/** Streams a users file through its reader: `onUser` gets each user (see UsersFileReader); throws what end() throws. */
export function readUsersFile(path: string, onUser?: (user: GraphUser, ordinal: number) => void): UsersFileOutcome {
  const reader = new UsersFileReader(path, onUser);
  for (const chunk of fileTextChunks(path)) {
    reader.push(chunk);
    if (reader.stopped) break;
  }
  return reader.end();
}

/** Checks a users file without keeping anything: throws a UsersFileImportError with its first problems. */
export function checkUsersFile(path: string): UsersFileOutcome {
  return readUsersFile(path);
}

/**
 * Sources of a users file for the commands that preview or provision from a file (--users), read as a stream and
 * derived as each user is read, so the file's Graph objects are never all held beside their sources.
 */
export function readUsersFileSources(path: string): SourceObject[] {
  const sources: SourceObject[] = [];
  readUsersFile(path, (user, ordinal) => {
    sources[ordinal] = usersFileSource(user);
  });
  return sources;
}

/** The source object of a user read from a --users file. */
export function usersFileSource(user: GraphUser): SourceObject {
  // A user listed with deletedDateTime comes from /directory/deletedItems: in the recycle bin (a CSV has no such column).
  return graphUserToSource(user, { softDeleted: typeof user.deletedDateTime === 'string' });
}

const MANAGER_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail'] as const;
/** Annotations of a delta item that are not properties of the user or group. */
const DELTA_ANNOTATIONS = new Set(['@removed', 'manager@delta', 'members@delta', '@odata.type']);

function withoutAnnotations(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !DELTA_ANNOTATIONS.has(key)));
}

/**
 * Graph delta's changes applied to a snapshot as a new snapshot (its child), in one transaction, storing only what
 * changed (SnapshotRefreshWriter). As Graph defines them: a user with `@removed` reason `deleted` is gone; reason
 * `changed` (in the recycle bin) is kept with IsSoftDeleted true, as Entra would deprovision it; other items carry the
 * user's properties, merged over what the snapshot had; `manager@delta` and `members@delta` carry the links by id.
 * Sources are derived again only for the users and groups that changed.
 */
export function storeGraphChanges(
  store: WorkspaceStore,
  parentId: number,
  changes: DirectoryChanges,
  label: string,
): SnapshotSummary {
  const directoryExtensions = changes.state.directoryExtensions;
  const derive = (raw: Record<string, unknown>) => ({
    ...graphUserToSource(raw as GraphUser, {
      directoryExtensions,
      // The annotation is kept in the raw JSON, so deriving again later gives the same IsSoftDeleted.
      softDeleted: (raw['@removed'] as { reason?: string } | undefined)?.reason === 'changed',
    }),
  });
  return store.refreshSnapshot(parentId, { label, deltaState: changes.state }, (writer) => {
    const managerChanges: DeltaUser[] = [];
    for (const item of changes.users) {
      const reason = item['@removed']?.reason;
      if (reason === 'deleted' || (reason !== undefined && reason !== 'changed')) {
        writer.removeUser(item.id);
        continue;
      }
      const before = writer.getUser(item.id);
      if (reason === 'changed') {
        // Graph gives only the id; the user keeps what the snapshot had, now in the recycle bin.
        if (before) {
          const raw = { ...before, '@removed': { reason: 'changed' } };
          writer.putUser(raw, derive(raw));
        }
        continue;
      }
      const { '@removed': _restored, ...kept } = before ?? {};
      const raw = { ...kept, ...withoutAnnotations(item as Record<string, unknown>) };
      writer.putUser(raw, derive(raw));
      if (item['manager@delta']) managerChanges.push(item);
    }
    // Managers last: a manager added in the same round is in the snapshot by now, with the name the full read expands.
    for (const item of managerChanges) applyManager(writer, item, derive);
    for (const item of changes.groups) applyGroupChange(writer, item);
  });
}

function applyManager(
  writer: SnapshotRefreshWriter,
  item: DeltaUser,
  derive: (raw: Record<string, unknown>) => Record<string, unknown>,
): void {
  const raw = writer.getUser(item.id);
  const link = item['manager@delta']!.at(-1);
  if (!raw || !link) return;
  if (link['@removed']) delete raw.manager;
  else {
    const manager = writer.getUser(link.id) ?? { id: link.id };
    raw.manager = {
      '@odata.type': link['@odata.type'] ?? '#microsoft.graph.user',
      ...Object.fromEntries(MANAGER_FIELDS.map((field) => [field, manager[field] ?? null])),
    };
  }
  writer.putUser(raw, derive(raw));
}

function applyGroupChange(writer: SnapshotRefreshWriter, item: DeltaGroup): void {
  if (item['@removed']) {
    writer.removeGroup(item.id);
    return;
  }
  const before = writer.getGroup(item.id);
  // The member list in Graph's order, as the group's JSON keeps it (the membership rows are keyed, not ordered).
  const listed = Array.isArray(before?.raw.members) ? (before.raw.members as { id: string; '@odata.type'?: string }[]) : null;
  const ordered = listed
    ? listed.map((m) => ({ id: m.id, type: String(m['@odata.type'] ?? '#microsoft.graph.user').replace('#microsoft.graph.', '') }))
    : (before?.members ?? []);
  const members = new Map(ordered.map((m) => [m.id, m.type]));
  for (const change of item['members@delta'] ?? []) {
    if (change['@removed']) members.delete(change.id);
    else members.set(change.id, String(change['@odata.type'] ?? '#microsoft.graph.user').replace('#microsoft.graph.', ''));
  }
  const raw = {
    ...(before?.raw ?? {}),
    ...withoutAnnotations(item as Record<string, unknown>),
    members: [...members].map(([id, type]) => ({ '@odata.type': `#microsoft.graph.${type}`, id })),
  };
  writer.putGroup(toSnapshotGroups([raw])[0]!);
}

/**
 * The `{"value": [...]}` document `fetch --out` writes and `preview --users` reads, with Graph's context URL, written
 * as the users arrive (one user per line keeps a large file diffable) to a partial file renamed into place at the end.
 */
export class GraphUsersDocumentWriter {
  private readonly partial: string;
  private fd: number | null;
  private first = true;

  constructor(
    private readonly path: string,
    graphOrigin: string,
    directoryExtensions: readonly string[] = [],
    extraSelect: readonly string[] = [],
  ) {
    const select = [...graphUserSelect(directoryExtensions), ...extraSelect];
    const context = `${graphOrigin}/v1.0/$metadata#users(${select.join(',')},${MANAGER_EXPAND.replace('$select=', '')})`;
    this.partial = `${path}.${process.pid}.partial`;
    this.fd = openSync(this.partial, 'w');
    writeSync(this.fd, `{"@odata.context":${JSON.stringify(context)},"value":[`);
  }

  write(users: readonly GraphUser[]): void {
    if (this.fd === null || users.length === 0) return;
    const lines = users.map((u) => JSON.stringify(u)).join(',\n');
    writeSync(this.fd, `${this.first ? '\n' : ',\n'}${lines}`);
    this.first = false;
  }

  finish(): void {
    if (this.fd === null) return;
    writeSync(this.fd, '\n]}\n');
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.partial, this.path);
  }

  discard(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.partial, { force: true });
  }
}
