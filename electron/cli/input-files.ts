import { readFile } from 'node:fs/promises';
import { graphGroupToSource, type GraphGroup } from '../../shared/directory/graph-to-source.ts';
import { UsersFileImportError } from '../../shared/directory/import-problems.ts';
import { NeitherUsersFileError } from '../../shared/directory/users-file.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../shared/mapping/model.ts';
import { BUILT_IN_PROFILE_IDS, isBuiltInProfileId, loadBuiltInProfile, parseVendorProfileText, type VendorProfile } from '../../shared/vendors/index.ts';
import { readUsersFileSources } from '../backend/directory/snapshot.ts';
import { usersFileSnapshot, type UsersFileSnapshot } from '../backend/preview/users-file-snapshot.ts';
import { UsageError } from './command.ts';

/**
 * Reading the files a command is given, one copy for every command. Every failure is a UsageError
 * (exit 2) that names the file, what it was for, and what was wrong with it.
 */
async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} file "${path}": ${fileProblem(error as NodeJS.ErrnoException)}`);
  }
}

/** Node's error codes in words: "ENOENT" alone tells an admin nothing. */
export function fileProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'there is no such file (check the path and the current folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    default:
      return error.message;
  }
}

function parseJson(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The ${what} file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
}

export async function readJson(path: string, what: string): Promise<unknown> {
  return parseJson(await readText(path, what), path, what);
}

/** A mapping-set file: Graph synchronization schema JSON, or a mapping set SCIM Planner saved (the same JSON). */
export async function readMappingSetFile(path: string): Promise<MappingSet> {
  const imported = importMappingSet(await readJson(path, 'mappings'));
  if (!imported.ok) throw new UsageError(`The mappings file "${path}" is not a Graph synchronization schema:\n  ${imported.issues.slice(0, 10).join('\n  ')}`);
  return imported.set;
}

/** `--vendor` names a profile file when it has a path separator or a .json suffix; otherwise it is a profile id. */
export function isProfileFile(vendor: string): boolean {
  return /[\\/]/.test(vendor) || vendor.toLowerCase().endsWith('.json');
}

/** A built-in id, or a path: anything with a path separator or a .json suffix is read as a profile file. */
export async function resolveProfile(vendor: string): Promise<VendorProfile> {
  if (isBuiltInProfileId(vendor)) return loadBuiltInProfile(vendor);
  if (!isProfileFile(vendor)) {
    throw new UsageError(`Unknown vendor "${vendor}". Built-in profiles: ${BUILT_IN_PROFILE_IDS.join(', ')}; or give the path of a profile file.`);
  }
  const parsed = parseVendorProfileText(await readText(vendor, 'vendor profile'));
  if (!parsed.ok) {
    throw new UsageError(`The vendor profile "${vendor}" is not valid:\n  ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n  ')}`);
  }
  return parsed.profile;
}

/** Graph groups JSON with members inline, as resources/demo-tenant/groups.json. */
export function graphGroupsToSources(json: unknown, path: string): SourceObject[] {
  const list = Array.isArray(json) ? json : (json as { value?: unknown } | null)?.value;
  if (!Array.isArray(list)) throw new UsageError(`The groups file "${path}" must be Graph groups JSON: {"value": [...]}`);
  return list.map((group, index) => {
    if (!group || typeof group !== 'object' || typeof (group as GraphGroup).id !== 'string') {
      throw new UsageError(`The groups file "${path}": entry ${index} is not a Graph group (it has no "id")`);
    }
    return graphGroupToSource(group as GraphGroup);
  });
}

/** A users file for --users: CSV (Entra's "Download users" columns or the template) or Graph users JSON, read as a stream. */
export async function readUsersSources(path: string, what = 'users'): Promise<SourceObject[]> {
  return readingUsersFile(path, what, () => readUsersFileSources(path));
}

/**
 * A users file for --users written into a scratch workspace snapshot, a text chunk at a time, for the formats that
 * stream: memory does not grow with the file. Dispose of it when the preview is closed.
 */
export async function usersFileSnapshotOf(path: string, what = 'users'): Promise<UsersFileSnapshot> {
  return readingUsersFile(path, what, () => usersFileSnapshot(path));
}

/** Runs a read of a users file, its failures as UsageErrors naming the file and what it was for. */
function readingUsersFile<T>(path: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof NeitherUsersFileError) throw new UsageError(`The ${what} file "${path}": ${error.message}`);
    if (error instanceof UsersFileImportError) {
      const kind = error.format === 'csv' ? 'a users CSV' : 'Graph users JSON';
      throw new UsageError(`The ${what} file "${path}" is not ${kind}: ${error.message}`);
    }
    if ((error as NodeJS.ErrnoException).code) throw new UsageError(`Cannot read the ${what} file "${path}": ${fileProblem(error as NodeJS.ErrnoException)}`);
    throw error;
  }
}
