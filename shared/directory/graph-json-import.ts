/**
 * Users from a Graph users JSON file: `{"value": [...]}` exactly as `GET /users` returns it (what
 * `scim-planner fetch --out` writes and resources/demo-tenant/users.json holds), or a bare array.
 * All-or-nothing like the CSV import: every problem is reported with its line and column.
 */
import type { ImportIssue } from './csv-import.ts';
import type { GraphUser } from './graph-to-source.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../json-depth.ts';

export class JsonImportError extends Error {
  override readonly name = 'JsonImportError';
  constructor(readonly issues: readonly ImportIssue[]) {
    super(
      `The JSON file has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was imported.\n` +
        issues
          .slice(0, 20)
          .map((i) => `  line ${i.line}, column ${i.column}: ${i.message}`)
          .join('\n') +
        (issues.length > 20 ? `\n  ... and ${issues.length - 20} more` : ''),
    );
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offsets where each element of the users array starts, found by a scan that respects strings, so a
 * problem in the 5,000th user points at its line without a second, position-tracking JSON parser.
 */
function elementOffsets(text: string, wrapped: boolean): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  // The users array sits at depth 1 for a bare array and depth 2 inside {"value": [...]}.
  const arrayDepth = wrapped ? 2 : 1;
  let inUsersArray = false;
  let expectElement = false;
  let key = '';
  let lastKey = '';
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') {
        inString = false;
        if (keyStart >= 0) key = text.slice(keyStart, i);
      }
      continue;
    }
    if (ch === '"') {
      if (expectElement && inUsersArray && depth === arrayDepth) {
        offsets.push(i);
        expectElement = false;
      }
      inString = true;
      keyStart = depth === 1 && wrapped ? i + 1 : -1;
      continue;
    }
    if (ch === ':' && depth === 1) lastKey = key;
    if (/\s/.test(ch)) continue;
    if (ch === '[' || ch === '{') {
      if (expectElement && inUsersArray && depth === arrayDepth) {
        offsets.push(i);
        expectElement = false;
      }
      depth++;
      if (ch === '[' && depth === arrayDepth && (!wrapped || lastKey === 'value')) {
        inUsersArray = true;
        expectElement = true;
      }
      continue;
    }
    if (ch === ']' || ch === '}') {
      if (depth === arrayDepth && inUsersArray) inUsersArray = false;
      depth--;
      continue;
    }
    if (ch === ',' && inUsersArray && depth === arrayDepth) {
      expectElement = true;
      continue;
    }
    if (expectElement && inUsersArray && depth === arrayDepth) {
      offsets.push(i);
      expectElement = false;
    }
  }
  return offsets;
}

/** Parses Graph users JSON, or throws JsonImportError with the line and column of every problem. */
export function importGraphUsersJson(text: string): GraphUser[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const message = (error as Error).message;
    // V8 says "... at position N" (and, in newer versions, "(line L column C)").
    const position = /position (\d+)/.exec(message);
    const at = position ? lineAndColumn(body, Number(position[1])) : { line: 1, column: 1 };
    throw new JsonImportError([
      { ...at, message: `not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '')}` },
    ]);
  }
  const wrapped = !Array.isArray(parsed);
  const list = Array.isArray(parsed) ? parsed : (parsed as { value?: unknown } | null)?.value;
  if (!Array.isArray(list)) {
    throw new JsonImportError([
      { line: 1, column: 1, message: 'expected Graph users JSON: {"value": [ ...users ]} or an array of users' },
    ]);
  }
  const offsets = elementOffsets(body, wrapped);
  const issues: ImportIssue[] = [];
  const ids = new Set<string>();
  list.forEach((item, index) => {
    const at = lineAndColumn(body, offsets[index] ?? 0);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      issues.push({ ...at, message: `user ${index + 1} is not an object` });
      return;
    }
    if (exceedsJsonDepth(item)) {
      issues.push({ ...at, message: `user ${index + 1} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep (a Graph user nests a few)` });
      return;
    }
    const user = item as Record<string, unknown>;
    if (typeof user.id !== 'string' || user.id === '') issues.push({ ...at, message: `user ${index + 1} has no "id"` });
    else if (ids.has(user.id)) issues.push({ ...at, message: `user ${index + 1} repeats id ${user.id}` });
    else ids.add(user.id);
    if (typeof user.userPrincipalName !== 'string')
      issues.push({ ...at, message: `user ${index + 1} has no "userPrincipalName"` });
    if (
      user.manager !== undefined &&
      user.manager !== null &&
      typeof (user.manager as { id?: unknown }).id !== 'string'
    ) {
      issues.push({ ...at, message: `user ${index + 1} has a "manager" without an "id"` });
    }
  });
  if (issues.length > 0) throw new JsonImportError(issues);
  return list as GraphUser[];
}
