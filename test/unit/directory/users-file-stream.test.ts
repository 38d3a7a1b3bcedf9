import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTextChunks } from '../../../electron/backend/directory/snapshot.ts';
import { UsersCsvReader } from '../../../shared/directory/csv-import.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { GraphUsersJsonReader, MAX_USER_CHARS } from '../../../shared/directory/graph-json-import.ts';
import { MAX_DETAILED_PROBLEMS, UsersFileImportError, type ImportIssue } from '../../../shared/directory/import-problems.ts';
import { NeitherUsersFileError, UsersFileReader } from '../../../shared/directory/users-file.ts';

type Outcome = { users: GraphUser[]; issues?: readonly ImportIssue[]; stoppedAtLine?: number | null };

/** Reads `text` pushed in the given pieces, through the reader that reads a file of that name. */
function read(fileName: string, pieces: readonly string[]): Outcome {
  const users: GraphUser[] = [];
  const reader = new UsersFileReader(fileName, (user, ordinal) => (users[ordinal] = user));
  for (const piece of pieces) reader.push(piece);
  try {
    reader.end();
    return { users };
  } catch (error) {
    if (!(error instanceof UsersFileImportError)) throw error;
    return { users: [], issues: error.issues, stoppedAtLine: error.stoppedAtLine };
  }
}

const chunked = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** The text cut in every way that matters: whole, one character at a time, and in two at every position. */
function everySplit(text: string): string[][] {
  const splits = [[text], [...text].length === text.length ? text.split('') : Array.from({ length: text.length }, (_, i) => text[i]!)];
  for (let at = 1; at < text.length; at++) splits.push([text.slice(0, at), text.slice(at)]);
  return splits;
}

function sameWhateverTheSplit(fileName: string, text: string): Outcome {
  const [whole, ...others] = everySplit(text).map((pieces) => read(fileName, pieces));
  for (const other of others) expect(other).toEqual(whole);
  return whole!;
}

describe('Graph users JSON read as a stream', () => {
  it('gives the same users whatever the chunk boundaries, inside strings, escapes and surrogate pairs included', () => {
    const text =
      '\uFEFF{"@odata.context": "x[{\\"", "value": [\n' +
      ' {"id": "1", "userPrincipalName": "a@contoso.com", "displayName": "Zoë \\"Z\\" \\\\ \\u00e9 😀 ] } [ {"},\n' +
      ' {"id": "2", "userPrincipalName": "b@contoso.com", "manager": {"id": "1"}, "n": -1.5e3, "t": true, "z": null}\n' +
      '], "@odata.nextLink": null}';
    const { users, issues } = sameWhateverTheSplit('users.json', text);
    expect(issues).toBeUndefined();
    expect(users).toEqual(JSON.parse(text.slice(1)).value);
  });

  it('hands on a compact user’s own text, which is what JSON.stringify writes for it, and no text for any other user', () => {
    const compact = [
      { id: '1', userPrincipalName: 'a@contoso.com', displayName: 'Zoë Ångström', accountEnabled: true, manager: null, otherMails: [] },
      { id: '2', userPrincipalName: 'b@contoso.com', onPremisesExtensionAttributes: { extensionAttribute1: 'x' }, manager: { id: '1' } },
    ];
    const others = [
      '{"id": "3", "userPrincipalName": "c@contoso.com"}', // whitespace
      '{"id":"4","userPrincipalName":"d@contoso.com",\n"mail":null}', // a line break
      '{"id":"5","userPrincipalName":"e\\u0040contoso.com"}', // an escape stringify writes as the character
      '{"id":"6","userPrincipalName":"f@contoso.com","displayName":"say \\"hi\\""}', // an escape stringify keeps
      '{"id":"7","userPrincipalName":"g@contoso.com","n":1.50}', // a number (stringify writes 1.5)
      '{"id":"8","userPrincipalName":"h@contoso.com","displayName":"😀"}', // a surrogate pair
    ];
    const text = `{"value":[${[...compact.map((u) => JSON.stringify(u)), ...others].join(',')}]}`;
    for (const pieces of [[text], chunked(text, 7), chunked(text, 1)]) {
      const handed: (string | undefined)[] = [];
      const reader = new GraphUsersJsonReader((user, index, userText) => {
        handed[index] = userText;
        if (userText !== undefined) expect(userText).toBe(JSON.stringify(user));
      });
      for (const piece of pieces) reader.push(piece);
      expect(reader.end()).toBe(8);
      expect(handed).toEqual([...compact.map((u) => JSON.stringify(u)), ...others.map(() => undefined)]);
    }
  });

  // Each case: the document, then the one problem expected at its line and column.
  const cases: [string, string, { line: number; column: number; message: RegExp }][] = [
    ['a trailing comma in a user', '{"value": [\n {"id": "1",\n  "userPrincipalName": "a",}\n]}', { line: 3, column: 28, message: /not valid JSON/ }],
    ['a bad escape', '[\n {"id": "1", "userPrincipalName": "b\\x"}]', { line: 2, column: 38, message: /not valid JSON/ }],
    ['a bad literal', '[{"id": "1", "userPrincipalName": "a", "x": tru}]', { line: 1, column: 2, message: /not valid JSON: Unexpected token .*\(in the user that starts here\)/ }],
    ['a bracket that closes the wrong thing', '[\n {"id": "1", "x": [1, 2}]', { line: 2, column: 24, message: /"}" does not close "\["/ }],
    ['text after the document', '{"value": []} x', { line: 1, column: 15, message: /after the end of the document/ }],
    ['a missing comma between users', '[{"id":"1","userPrincipalName":"a"}\n {"id":"2"}]', { line: 2, column: 2, message: /expected "," or "\]" after user 1/ }],
    ['an unclosed users list', '{"value": [{"id":"1","userPrincipalName":"a"}', { line: 1, column: 46, message: /ends before the users list is closed/ }],
    ['an unclosed string', '[{"id":"1","userPrincipalName":"a', { line: 1, column: 34, message: /ends inside a value/ }],
    ['an empty file', '', { line: 1, column: 0, message: /the file is empty/ }],
    ['a "value" that is no list', '{"value": 5}', { line: 1, column: 11, message: /expected Graph users JSON/ }],
    ['no "value" at all', '{"users": []}', { line: 1, column: 1, message: /expected Graph users JSON/ }],
    ['a property with a bad value', '{"value": [], "next": }', { line: 1, column: 23, message: /not valid JSON/ }],
    ['a property name without quotes', '{value: []}', { line: 1, column: 2, message: /property name in double quotes/ }],
    ['a missing colon', '{"value" []}', { line: 1, column: 10, message: /expected ":"/ }],
    ['an element where a user was expected', '[,]', { line: 1, column: 2, message: /expected a user/ }],
  ];
  for (const [what, text, expected] of cases) {
    it(`reports ${what} at its line and column, whatever the chunk boundaries`, () => {
      const { issues } = sameWhateverTheSplit('users.json', text);
      expect(issues).toHaveLength(1);
      expect(issues![0]).toMatchObject({ line: expected.line, column: expected.column, message: expect.stringMatching(expected.message) });
    });
  }

  it('reports every invalid user at the line and column where it starts, and hands on no user after a problem', () => {
    const text = '[\n  {"id": "1", "userPrincipalName": "a"},\n  {"userPrincipalName": "b"},\n  {"id": "1", "userPrincipalName": "c", "manager": {}},\n  42, "x", null, [1],\n  {"id": "9", "userPrincipalName": "z"}\n]';
    const handed: string[] = [];
    const reader = new GraphUsersJsonReader((user) => handed.push(user.id));
    reader.push(text);
    expect(() => reader.end()).toThrow(UsersFileImportError);
    expect(handed).toEqual(['1']);
    expect(sameWhateverTheSplit('users.json', text).issues).toEqual([
      { line: 3, column: 3, message: 'user 2 has no "id"' },
      { line: 4, column: 3, message: 'user 3 repeats id 1' },
      { line: 4, column: 3, message: 'user 3 has a "manager" without an "id"' },
      { line: 5, column: 3, message: 'user 4 is not an object' },
      { line: 5, column: 7, message: 'user 5 is not an object' },
      { line: 5, column: 12, message: 'user 6 is not an object' },
      { line: 5, column: 18, message: 'user 7 is not an object' },
    ]);
  });

  it('counts the lines of a million users without reading any of them twice', () => {
    const reader = new GraphUsersJsonReader();
    reader.push('{"value": [\n');
    const line = '{"id": "ID", "userPrincipalName": "u@contoso.com", "displayName": "Someone with a long enough name"},\n';
    const count = 200_000;
    const started = performance.now();
    for (let i = 0; i < count; i++) reader.push(line.replace('ID', String(i)));
    reader.push('{"id": "bad"}\n]}');
    const seconds = (performance.now() - started) / 1000;
    expect(() => reader.end()).toThrow(/line 200002, column 1: user 200001 has no "userPrincipalName"/);
    // linear: the old reader rescanned the file from its start for each user (about 345 s for 20,000)
    expect(seconds).toBeLessThan(30);
  });

  it('stops reading after the first problems and says where', () => {
    const users = Array.from({ length: 120 }, (_, i) => `{"id": "${i}"}`).join(',\n');
    const { issues, stoppedAtLine } = read('users.json', [`[\n${users}\n]`]);
    expect(issues).toHaveLength(MAX_DETAILED_PROBLEMS);
    expect(issues![0]).toEqual({ line: 2, column: 1, message: 'user 1 has no "userPrincipalName"' });
    expect(stoppedAtLine).toBe(MAX_DETAILED_PROBLEMS + 1);
    const reader = new UsersFileReader('users.json');
    reader.push(`[\n${users.split('\n').slice(0, 60).join('\n')}`);
    expect(reader.stopped).toBe(true);
    expect(() => reader.end()).toThrow(
      /The JSON file has at least 50 problems; nothing was imported\.\n[\s\S]*\.\.\. and 30 more\n {2}Checking stopped at line 51, after the first 50 problems; the rest of the file was not read\.$/,
    );
  });

  it('stops a CSV with junk rows after the first problems, at the line where it stopped', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `junk ${i}`).join('\n');
    const { issues, stoppedAtLine } = read('users.csv', [`userPrincipalName,displayName\n${rows}\n`]);
    expect(issues).toHaveLength(MAX_DETAILED_PROBLEMS);
    expect(issues!.at(-1)).toEqual({ line: 51, column: 0, message: 'has 1 fields, the header has 2' });
    expect(stoppedAtLine).toBe(51);
  });

  it('refuses a "user" larger than any Graph user instead of holding it', () => {
    const reader = new UsersFileReader('users.json');
    reader.push('[{"id": "1", "junk": "');
    const block = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < MAX_USER_CHARS / block.length + 1 && !reader.stopped; i++) reader.push(block);
    expect(reader.stopped).toBe(true);
    expect(() => reader.end()).toThrow(/line 1, column 2: user 1 is larger than 8 MiB/);
  });
});

describe('users CSV read as a stream', () => {
  const csv =
    '\uFEFFuserPrincipalName;displayName;manager;employeeHireDate\r\n' +
    'boss@contoso.com;"The ""Boss""; Zoë 😀";;2020-01-01\r\n' +
    'worker@contoso.com;"two\nlines";boss@contoso.com;\r\n' +
    'early@contoso.com;Early;late@contoso.com;\r' +
    'late@contoso.com;Late;;\n\n';

  it('gives the same users whatever the chunk boundaries: quotes, doubled quotes, CR, CRLF, BOM and ";"', () => {
    const { users, issues } = sameWhateverTheSplit('users.csv', csv);
    expect(issues).toBeUndefined();
    expect(users.map((u) => [u.userPrincipalName, u.displayName, u.manager?.userPrincipalName ?? null])).toEqual([
      ['boss@contoso.com', 'The "Boss"; Zoë 😀', null],
      ['worker@contoso.com', 'two\nlines', 'boss@contoso.com'],
      ['early@contoso.com', 'Early', 'late@contoso.com'],
      ['late@contoso.com', 'Late', null],
    ]);
  });

  it('hands on a user whose manager comes further down once that manager is read, in its own place', () => {
    const handed: [number, string][] = [];
    const reader = new UsersCsvReader((user, ordinal) => handed.push([ordinal, user.userPrincipalName!]));
    reader.push(csv);
    reader.end();
    expect(handed.map(([ordinal]) => ordinal).sort()).toEqual([0, 1, 2, 3]);
    expect(handed.at(-1)).toEqual([2, 'early@contoso.com']);
  });

  const cases: [string, string, ImportIssue[]][] = [
    ['an unclosed quote, at the line where it opened', 'userPrincipalName,displayName\na@x,"open\nb@x,c\n', [{ line: 2, column: 2, message: 'a quoted field is never closed (missing ")' }]],
    ['a character after a closing quote', 'userPrincipalName,displayName\na@x,"q"z\n', [{ line: 2, column: 2, message: 'unexpected character "z" after a closing quote' }]],
    ['a quote inside an unquoted field', 'userPrincipalName,displayName\na@x,a"b\n', [{ line: 2, column: 2, message: 'a quote inside an unquoted field (quote the whole field and double the quote)' }]],
    ['a row with too few fields', 'userPrincipalName,displayName\r\na@x\r\n', [{ line: 2, column: 0, message: 'has 1 fields, the header has 2' }]],
    ['a bad boolean', 'userPrincipalName,accountEnabled\na@x,maybe\n', [{ line: 2, column: 2, columnName: 'accountEnabled', message: 'expected True or False (or Yes/No), got "maybe"' }]],
    ['a bad date', 'userPrincipalName,employeeHireDate\na@x,15/01/2023\n', [{ line: 2, column: 2, columnName: 'employeeHireDate', message: expect.stringMatching(/ISO 8601/) as unknown as string }]],
    ['an empty UPN', 'userPrincipalName,displayName\n,x\n', [{ line: 2, column: 1, columnName: 'userPrincipalName', message: 'userPrincipalName is empty' }]],
    ['a UPN twice', 'userPrincipalName\na@x\nA@x\n', [
      { line: 3, column: 0, message: expect.stringMatching(/^object id .* appears twice$/) as unknown as string },
      { line: 3, column: 1, columnName: 'userPrincipalName', message: 'userPrincipalName A@x appears twice' },
    ]],
    ['an unknown manager', 'userPrincipalName,manager\na@x,nobody@x\n', [{ line: 2, column: 2, columnName: 'manager', message: expect.stringMatching(/neither an object id/) as unknown as string }]],
    ['a header without a UPN column', 'displayName,displayName\nx,y\n', [
      { line: 1, column: 2, columnName: 'displayName', message: 'duplicates column 1 (displayName)' },
      { line: 1, column: 0, message: 'no userPrincipalName column; the header must name one' },
    ]],
    ['an empty file', '', [{ line: 1, column: 0, message: 'the file is empty; expected a header row' }]],
  ];
  for (const [what, text, expected] of cases) {
    it(`reports ${what}, whatever the chunk boundaries`, () => {
      expect(sameWhateverTheSplit('users.csv', text).issues).toEqual(expected);
    });
  }

  it('stops at a header it cannot read: the rest of a junk file is not looked at', () => {
    const reader = new UsersFileReader('junk.txt');
    reader.push('\u0001\u0002 this is, not "a" users file\n');
    expect(reader.stopped).toBe(true);
    expect(() => reader.end()).toThrow(NeitherUsersFileError);
  });
});

describe('a file’s text in chunks', () => {
  it('never splits a multi-byte character between chunks, whatever the chunk size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-planner-chunks-'));
    try {
      const text = 'Zoë Lefèvre, 日本語, 😀😀, Ω\n'.repeat(50);
      const file = join(dir, 'users.csv');
      writeFileSync(file, text);
      for (const size of [1, 2, 3, 5, 7, 64]) {
        const chunks = [...fileTextChunks(file, size)];
        expect(chunks.join('')).toBe(text);
        expect(chunks.every((c) => !/\uFFFD/.test(c))).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
