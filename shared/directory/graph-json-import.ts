/**
 * Users from a Graph users JSON file: `{"value": [...]}` exactly as `GET /users` returns it (what
 * `scim-planner fetch --out` writes and resources/demo-tenant/users.json holds), or a bare array.
 *
 * Read as a stream: the text arrives in chunks of any size, a tokenizer walks the document's outer structure
 * keeping the line and column as it goes, and each user is cut out whole and handed to JSON.parse (fast, and exact
 * about JSON's grammar). So a 1 GB file never sits in memory, and a problem in the millionth user is located
 * without reading the file again. All-or-nothing: users are handed on only while no problem has been found.
 */
import { MAX_JSON_DEPTH } from '../json-depth.ts';
import type { GraphUser } from './graph-to-source.ts';
import { ImportProblems, JsonImportError } from './import-problems.ts';

export { JsonImportError } from './import-problems.ts';

/** A Graph user is a few kilobytes; one far larger is not a user, and holding it would defeat the streaming. */
export const MAX_USER_CHARS = 8 * 1024 * 1024;

const EXPECTED_USERS = 'expected Graph users JSON: {"value": [ ...users ]} or an array of users';

const enum Mode {
  Start,
  /** inside the outer object: a key or "}" (first: also "}") */
  Key,
  Colon,
  /** after a key's ":" */
  PropertyValue,
  /** after a property value: "," or "}" */
  AfterProperty,
  /** inside the users array: an element or "]" */
  Element,
  /** after an element: "," or "]" */
  AfterElement,
  Done,
  Stopped,
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;
const LOWER_A = 97;
const LOWER_Z = 122;

function isWhitespace(c: number): boolean {
  return c === 32 || c === NEWLINE || c === 13 || c === 9;
}

/** One JSON value being cut out of the stream: its text so far and the brackets still open. */
interface ValueCut {
  parts: string[];
  size: number;
  line: number;
  column: number;
  stack: number[];
  maxDepth: number;
  inString: boolean;
  escaped: boolean;
  /** a number or literal: it ends at the first delimiter or whitespace */
  bare: boolean;
  /** what the value is: a user of the users array, or a property of the outer object that is only validated */
  role: 'user' | 'property';
  /** so far the text is what JSON.stringify writes for its parse: no whitespace, number, escape or surrogate */
  verbatim: boolean;
}

/**
 * A user as the reader hands it on: its object and, when the file holds it compact (no whitespace, escape, number or
 * surrogate), its text: what JSON.stringify writes for the object but for repeated or integer-like keys, which parse
 * back to the same object. A writer stores that text instead of serialising the object again.
 */
export type OnGraphUser = (user: GraphUser, index: number, text?: string) => void;

export class GraphUsersJsonReader {
  private mode = Mode.Start;
  private wrapped = false;
  private line = 1;
  /** offset (UTF-16 units from the start of the text) where the current line starts */
  private lineStart = 0;
  /** offset of the current chunk's first character */
  private base = 0;
  private cut: ValueCut | null = null;
  /** the outer object's key being read, and whether "value" (the users) was seen */
  private key: { parts: string[]; escaped: boolean } | null = null;
  private currentKey = '';
  private firstKey = true;
  /** where reading stopped because there were too many problems to go on */
  private stoppedAtLine: number | null = null;
  private sawUsers = false;
  private index = 0;
  private readonly ids = new Set<string>();
  readonly problems = new ImportProblems();

  /** `onUser` receives each user in file order (its 0-based index) while the file is still without problems. */
  constructor(private readonly onUser: OnGraphUser = () => undefined) {}

  /** True once nothing more can be learnt from the rest of the input (a syntax error): stop reading it. */
  get stopped(): boolean {
    return this.mode === Mode.Stopped;
  }

  /** How many users were read so far. */
  get userCount(): number {
    return this.index;
  }

  push(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    if (this.mode === Mode.Start && this.base === 0 && chunk.charCodeAt(0) === 0xfeff) {
      // The BOM is not part of the text: columns on line 1 count from after it.
      i = 1;
      this.lineStart = 1;
    }
    while (i < n && this.mode !== Mode.Stopped) {
      if (this.cut) {
        i = this.scanValue(chunk, i);
        continue;
      }
      if (this.key) {
        i = this.scanKey(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (isWhitespace(c)) {
        if (c === NEWLINE) this.newline(i);
        i++;
        continue;
      }
      this.structural(c, chunk, i);
      if (this.cut) continue; // a value starts at i: it is cut out from there
      i++;
    }
    this.base += n;
  }

  /** The input is complete: throws JsonImportError when anything was wrong, else returns the number of users. */
  end(): number {
    if (this.mode !== Mode.Stopped) {
      if (this.cut) {
        const cut = this.cut;
        if (cut.bare && cut.stack.length === 0 && !cut.inString) this.finishValue();
        else this.syntaxError(this.here(), 'the file ends inside a value (a string, object or array is not closed)');
      }
    }
    if (this.mode !== Mode.Stopped && this.mode !== Mode.Done) {
      if (this.mode === Mode.Start) this.syntaxError({ line: 1, column: 1 }, 'the file is empty');
      else this.syntaxError(this.here(), 'the file ends before the users list is closed');
    }
    if (this.mode === Mode.Done && this.wrapped && !this.sawUsers) this.problems.add({ line: 1, column: 1, message: EXPECTED_USERS });
    if (this.problems.count > 0) throw new JsonImportError(this.problems.issues, this.stoppedAtLine);
    return this.index;
  }

  private newline(offsetInChunk: number): void {
    this.line++;
    this.lineStart = this.base + offsetInChunk + 1;
  }

  private here(offsetInChunk?: number): { line: number; column: number } {
    const offset = offsetInChunk === undefined ? this.base : this.base + offsetInChunk;
    return { line: this.line, column: Math.max(1, offset - this.lineStart + 1) };
  }

  private syntaxError(at: { line: number; column: number }, message: string): void {
    this.problems.add({ ...at, message: `not valid JSON: ${message}` });
    this.stop();
  }

  private stop(): void {
    this.mode = Mode.Stopped;
    this.cut = null;
    this.key = null;
  }

  /** A character of the outer structure (not whitespace, not inside a value or key). */
  private structural(c: number, chunk: string, i: number): void {
    const at = (): { line: number; column: number } => this.here(i);
    const found = JSON.stringify(chunk[i]);
    switch (this.mode) {
      case Mode.Start:
        if (c === OPEN_BRACE) {
          this.wrapped = true;
          this.mode = Mode.Key;
        } else if (c === OPEN_BRACKET) {
          this.sawUsers = true;
          this.mode = Mode.Element;
        } else {
          this.problems.add({ line: 1, column: 1, message: `${EXPECTED_USERS} (the file starts with ${found})` });
          this.stop();
        }
        return;
      case Mode.Key:
        if (c === QUOTE) this.key = { parts: [], escaped: false };
        else if (c === CLOSE_BRACE && this.firstKey) this.mode = Mode.Done;
        else this.syntaxError(at(), `expected a property name in double quotes, found ${found}`);
        return;
      case Mode.Colon:
        if (c === COLON) this.mode = Mode.PropertyValue;
        else this.syntaxError(at(), `expected ":" after the property name, found ${found}`);
        return;
      case Mode.PropertyValue:
        if (this.currentKey === 'value') {
          if (c !== OPEN_BRACKET) {
            this.problems.add({ ...at(), message: `${EXPECTED_USERS} ("value" is not an array)` });
            this.stop();
            return;
          }
          if (this.sawUsers) {
            this.problems.add({ ...at(), message: 'the file has two "value" lists; a Graph users page has one' });
            this.stop();
            return;
          }
          this.sawUsers = true;
          this.mode = Mode.Element;
          return;
        }
        this.startValue(chunk, i, 'property');
        return;
      case Mode.AfterProperty:
        if (c === COMMA) this.mode = Mode.Key;
        else if (c === CLOSE_BRACE) this.mode = Mode.Done;
        else this.syntaxError(at(), `expected "," or "}" after a property, found ${found}`);
        return;
      case Mode.Element:
        if (c === CLOSE_BRACKET && this.index === 0) this.closeUsers();
        else if (c === CLOSE_BRACKET || c === COMMA) this.syntaxError(at(), `expected a user, found ${found}`);
        else this.startValue(chunk, i, 'user');
        return;
      case Mode.AfterElement:
        if (c === COMMA) this.mode = Mode.Element;
        else if (c === CLOSE_BRACKET) this.closeUsers();
        else this.syntaxError(at(), `expected "," or "]" after user ${this.index}, found ${found}`);
        return;
      case Mode.Done:
        this.syntaxError(at(), `unexpected ${found} after the end of the document`);
        return;
      default:
        return;
    }
  }

  private closeUsers(): void {
    this.mode = this.wrapped ? Mode.AfterProperty : Mode.Done;
  }

  private startValue(chunk: string, i: number, role: ValueCut['role']): void {
    const c = chunk.charCodeAt(i);
    this.cut = {
      parts: [],
      size: 0,
      ...this.here(i),
      stack: [],
      maxDepth: 0,
      inString: false,
      escaped: false,
      bare: c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET,
      role,
      verbatim: true,
    };
  }

  /** Reads a key of the outer object (after its opening quote) up to its closing quote. */
  private scanKey(chunk: string, start: number): number {
    const key = this.key!;
    let i = start;
    const from = i;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (key.escaped) key.escaped = false;
      else if (c === BACKSLASH) key.escaped = true;
      else if (c === NEWLINE) {
        this.syntaxError(this.here(i), 'a line break inside a property name');
        return chunk.length;
      } else if (c === QUOTE) {
        key.parts.push(chunk.slice(from, i));
        const raw = key.parts.join('');
        try {
          this.currentKey = JSON.parse(`"${raw}"`) as string;
        } catch {
          this.syntaxError(this.here(i), `the property name "${raw.slice(0, 40)}" has an invalid escape`);
          return chunk.length;
        }
        this.key = null;
        this.firstKey = false;
        this.mode = Mode.Colon;
        return i + 1;
      }
    }
    key.parts.push(chunk.slice(from));
    return chunk.length;
  }

  /** Advances the value being cut; returns where the outer structure resumes in this chunk. */
  private scanValue(chunk: string, start: number): number {
    const cut = this.cut!;
    const n = chunk.length;
    let i = start;
    let end = -1;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (cut.inString) {
        if (cut.escaped) cut.escaped = false;
        else if (c === BACKSLASH) {
          cut.escaped = true;
          cut.verbatim = false;
        } else if (c === QUOTE) {
          cut.inString = false;
          if (cut.stack.length === 0) {
            end = i + 1;
            break;
          }
        } else if (c === NEWLINE) this.newline(i);
        // JSON.stringify writes a lone surrogate as an escape; any surrogate leaves the text to it
        else if (c >= 0xd800 && c <= 0xdfff) cut.verbatim = false;
        continue;
      }
      if (c === NEWLINE) {
        if (cut.bare) {
          end = i;
          break;
        }
        cut.verbatim = false;
        this.newline(i);
        continue;
      }
      if (cut.bare) {
        if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || c === COLON || isWhitespace(c)) {
          end = i;
          break;
        }
        continue;
      }
      if (c === QUOTE) cut.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        cut.stack.push(c);
        if (cut.stack.length > cut.maxDepth) cut.maxDepth = cut.stack.length;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        const open = cut.stack.pop();
        if (open !== (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) {
          this.syntaxError(this.here(i), `${JSON.stringify(chunk[i])} does not close ${open === undefined ? 'anything' : JSON.stringify(String.fromCharCode(open))}`);
          return n;
        }
        if (cut.stack.length === 0) {
          end = i + 1;
          break;
        }
      } else if (c !== COMMA && c !== COLON && (c < LOWER_A || c > LOWER_Z)) {
        // whitespace or a number (outside strings, letters are only true, false and null, which stringify keeps)
        cut.verbatim = false;
      }
    }
    const stop = end < 0 ? n : end;
    cut.parts.push(chunk.slice(start, stop));
    cut.size += stop - start;
    if (cut.size > MAX_USER_CHARS) {
      const what = cut.role === 'user' ? `user ${this.index + 1}` : 'a property of the document';
      this.problems.add({ line: cut.line, column: cut.column, message: `${what} is larger than ${MAX_USER_CHARS / 1024 / 1024} MiB; a Graph user is a few kilobytes` });
      this.stop();
      return n;
    }
    if (end < 0) return n;
    this.finishValue();
    return end;
  }

  /** A whole value was cut out: parse it and, for a user, check what an import needs. */
  private finishValue(): void {
    const cut = this.cut!;
    this.cut = null;
    const text = cut.parts.length === 1 ? cut.parts[0]! : cut.parts.join('');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = /position (\d+)/.exec(message);
      // Some of V8's messages give no position: the problem is then pointed at the start of its user.
      if (offset) this.syntaxError(positionIn(text, cut, Number(offset[1])), cleanParseMessage(message));
      else this.syntaxError({ line: cut.line, column: cut.column }, `${cleanParseMessage(message)} (in the ${cut.role === 'user' ? 'user' : 'value'} that starts here)`);
      return;
    }
    if (cut.role === 'property') {
      this.mode = Mode.AfterProperty;
      return;
    }
    this.mode = Mode.AfterElement;
    const number = ++this.index;
    const issue = userProblem(value, number, cut.maxDepth, this.ids);
    if (issue) {
      for (const message of issue) this.problems.add({ line: cut.line, column: cut.column, message });
      if (this.problems.full) {
        this.stoppedAtLine = cut.line;
        this.stop();
      }
      return;
    }
    if (this.problems.count === 0) this.onUser(value as GraphUser, number - 1, cut.verbatim ? text : undefined);
  }
}

/** What is wrong with one user of the list, or null; `depth` is how deep its brackets nest. */
function userProblem(value: unknown, number: number, depth: number, ids: Set<string>): string[] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`user ${number} is not an object`];
  if (depth > MAX_JSON_DEPTH) return [`user ${number} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep (a Graph user nests a few)`];
  const user = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof user.id !== 'string' || user.id === '') problems.push(`user ${number} has no "id"`);
  else if (ids.has(user.id)) problems.push(`user ${number} repeats id ${user.id}`);
  else ids.add(user.id);
  if (typeof user.userPrincipalName !== 'string') problems.push(`user ${number} has no "userPrincipalName"`);
  if (user.manager !== undefined && user.manager !== null && typeof (user.manager as { id?: unknown }).id !== 'string') {
    problems.push(`user ${number} has a "manager" without an "id"`);
  }
  return problems.length > 0 ? problems : null;
}

/** V8 says "... in JSON at position N" (and, in newer versions, "(line L column C)"): both are about the cut-out value. */
function cleanParseMessage(message: string): string {
  return message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*(in JSON )?at position \d+/, '');
}

/** Where JSON.parse's error lies in the file: the value's own start plus a walk over the value alone. */
function positionIn(text: string, cut: ValueCut, offset: number): { line: number; column: number } {
  let line = cut.line;
  let column = cut.column;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === NEWLINE) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

/** Parses Graph users JSON held in one string, or throws JsonImportError with the line and column of its problems. */
export function importGraphUsersJson(text: string): GraphUser[] {
  const users: GraphUser[] = [];
  const reader = new GraphUsersJsonReader((user) => users.push(user));
  reader.push(text);
  reader.end();
  return users;
}

