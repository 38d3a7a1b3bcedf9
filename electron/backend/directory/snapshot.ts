/**
 * From what the directory layer read (Graph, CSV or JSON) to a workspace snapshot: Graph's raw JSON per user beside the
 * derived source object (docs/architecture.md, "Data"), written in one transaction by the workspace store so a failed
 * or cancelled read never leaves a partial snapshot.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { SnapshotSummary } from '../../../shared/api.ts';
import { CsvImportError, importUsersCsv } from '../../../shared/directory/csv-import.ts';
import { importGraphUsersJson } from '../../../shared/directory/graph-json-import.ts';
import {
  graphUserToSource,
  type AppRoleAssignmentRef,
  type GraphGroup,
  type GraphUser,
} from '../../../shared/directory/graph-to-source.ts';
import { MANAGER_EXPAND, graphUserSelect } from '../../../shared/directory/source-schema.ts';
import { toSnapshotGroups } from '../workspace/demo-tenant.ts';
import type { DirectoryReadResult } from './graph-reader.ts';
import type { SnapshotUserInput, WorkspaceStore } from '../workspace/store.ts';

interface SourceContext {
  /** declared directory extensions (only these extension_* keys become source attributes) */
  directoryExtensions?: readonly string[];
  /** "Sync only assigned users and groups": the ids in scope; null or absent = "Sync all" */
  assignedUserIds?: ReadonlySet<string> | null;
  /** app roles per user for the app-role functions */
  appRolesByUser?: Readonly<Record<string, readonly AppRoleAssignmentRef[]>>;
}

function toSourceSnapshotUsers(users: readonly GraphUser[], context: SourceContext = {}): SnapshotUserInput[] {
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

export interface UsersFile {
  users: GraphUser[];
  origin: 'csv' | 'json';
  warnings: string[];
}

/**
 * Which kind of users file this is: a `.csv` name, or content that does not open with `{` or `[`, is a
 * users CSV (Entra's download or the template); anything else is Graph users JSON. The one place that
 * decides, for the Tenant screen's import, `scim-planner import` and the CLI's --users files.
 */
export function usersFileFormat(fileName: string, text: string): 'csv' | 'json' {
  const looksLikeJson = /^\uFEFF?\s*[[{]/.test(text);
  return extname(fileName).toLowerCase() === '.csv' || !looksLikeJson ? 'csv' : 'json';
}

/**
 * A file read as CSV only because it does not start like JSON (it is not named .csv), which the CSV reader
 * refused too: the admin is told why it is neither, not only why it is no CSV.
 */
export class NeitherUsersFileError extends CsvImportError {
  constructor(csv: CsvImportError, text: string) {
    super(csv.issues);
    const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1);
    const notJson = start === '' ? 'it is empty' : `it starts with "${start}", where JSON starts with "{" or "["`;
    const details = csv.message.split('\n').slice(1).join('\n');
    this.message = `The file is neither Graph users JSON (${notJson}) nor a users CSV (${csv.issues.length} problem${csv.issues.length === 1 ? '' : 's'}); nothing was imported.\n${details}`;
  }
}

/** Parses a users file (CsvImportError or JsonImportError name the lines that are wrong). */
export function parseUsersFile(fileName: string, text: string): UsersFile {
  if (usersFileFormat(fileName, text) === 'csv') {
    try {
      const result = importUsersCsv(text);
      return { users: result.users, origin: 'csv', warnings: result.warnings };
    } catch (error) {
      if (error instanceof CsvImportError && extname(fileName).toLowerCase() !== '.csv') throw new NeitherUsersFileError(error, text);
      throw error;
    }
  }
  return { users: importGraphUsersJson(text), origin: 'json', warnings: [] };
}

/** Reads a users file from disk: see usersFileFormat. */
export function readUsersFile(path: string): UsersFile {
  return parseUsersFile(path, readFileSync(path, 'utf8'));
}

interface StoreSnapshotInput {
  projectId: number;
  label: string;
  origin: SnapshotSummary['origin'];
  tenantName?: string | null;
  users: readonly GraphUser[];
  groups?: readonly GraphGroup[];
  context?: SourceContext;
}

export function storeDirectorySnapshot(store: WorkspaceStore, input: StoreSnapshotInput): SnapshotSummary {
  return store.addSnapshot({
    projectId: input.projectId,
    label: input.label,
    origin: input.origin,
    tenantName: input.tenantName ?? null,
    users: toSourceSnapshotUsers(input.users, input.context),
    groups: toSnapshotGroups((input.groups ?? []) as unknown as Record<string, unknown>[]),
  });
}

/**
 * A finished Graph read as a snapshot: its extensions become source attributes and "Sync only assigned
 * users and groups" its scope. One flow for the Tenant screen's fetch and `scim-planner fetch`.
 */
export function storeGraphRead(
  store: WorkspaceStore,
  projectId: number,
  result: DirectoryReadResult,
  names: { label?: string | undefined; tenantName: string | null; who: string },
): SnapshotSummary {
  return storeDirectorySnapshot(store, {
    projectId,
    label: names.label ?? (result.assignedTo ? `Graph: assigned to ${result.assignedTo.servicePrincipal.displayName}` : `Graph: ${names.who}`),
    origin: 'graph',
    tenantName: names.tenantName,
    users: result.users,
    groups: result.groups,
    context: {
      directoryExtensions: result.directoryExtensions.map((e) => e.name),
      assignedUserIds: result.assignedTo ? new Set(result.assignedTo.assignedUserIds) : null,
      appRolesByUser: result.assignedTo?.appRolesByUser,
    },
  });
}

/** The `{"value": [...]}` document `fetch --out` writes and `preview --users` reads, with Graph's context URL. */
export function graphUsersDocument(
  users: readonly GraphUser[],
  graphOrigin: string,
  directoryExtensions: readonly string[] = [],
  extraSelect: readonly string[] = [],
): string {
  const select = [...graphUserSelect(directoryExtensions), ...extraSelect];
  const context = `${graphOrigin}/v1.0/$metadata#users(${select.join(',')},${MANAGER_EXPAND.replace('$select=', '')})`;
  // One user per line keeps a 100,000-user file diffable and avoids one giant string.
  const lines = users.map((u) => JSON.stringify(u));
  return `{"@odata.context":${JSON.stringify(context)},"value":[\n${lines.join(',\n')}\n]}\n`;
}
