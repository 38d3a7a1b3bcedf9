import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JsonImportError, importGraphUsersJson } from '../../../shared/directory/graph-json-import.ts';

function issuesOf(text: string) {
  try {
    importGraphUsersJson(text);
  } catch (error) {
    if (error instanceof JsonImportError) return error.issues;
    throw error;
  }
  throw new Error('expected the import to fail');
}

describe('importGraphUsersJson', () => {
  it('reads the committed demo tenant users.json', () => {
    const text = readFileSync(
      fileURLToPath(new URL('../../../resources/demo-tenant/users.json', import.meta.url)),
      'utf8',
    );
    const users = importGraphUsersJson(text);
    expect(users.length).toBe(JSON.parse(text).value.length);
  });

  it('accepts a bare array of users', () => {
    expect(importGraphUsersJson('[{"id":"1","userPrincipalName":"a@contoso.com"}]').map((u) => u.id)).toEqual(['1']);
  });

  it('points a syntax error at its line and column', () => {
    const issues = issuesOf('{"value": [\n  {"id": "1",\n   "userPrincipalName": "a@contoso.com",}\n]}');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 3, message: expect.stringMatching(/not valid JSON/) });
  });

  it('points each invalid user at the line where it starts, including strings with brackets before it', () => {
    const text = [
      '{"@odata.context": "x[{", "value": [',
      '  {"id": "1", "userPrincipalName": "a@contoso.com", "displayName": "Brackets ] } [ {"},',
      '  {"userPrincipalName": "b@contoso.com"},',
      '  {"id": "1", "userPrincipalName": "c@contoso.com"},',
      '  42',
      ']}',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      { line: 3, column: 3, message: 'user 2 has no "id"' },
      { line: 4, column: 3, message: 'user 3 repeats id 1' },
      { line: 5, column: 3, message: 'user 4 is not an object' },
    ]);
  });

  it('refuses JSON that is not a users list', () => {
    expect(issuesOf('{"users": []}')[0]!.message).toMatch(/expected Graph users JSON/);
  });
});

describe('Graph users JSON nesting bound', () => {
  it('refuses a user nested 100,000 levels deep with its line and a clear message', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = `{"value": [\n  {"id": "1", "userPrincipalName": "a@contoso.com"},\n  {"id": "2", "userPrincipalName": "b@contoso.com", "extension": ${deep}}\n]}`;
    expect(issuesOf(text)).toEqual([{ line: 3, column: 3, message: 'user 2 nests objects or arrays more than 100 levels deep (a Graph user nests a few)' }]);
  });
});

describe('Graph users JSON import time', () => {
  it('locates a problem in the 20,000th user in linear time (the old reader rescanned the file for every user)', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `  {"id": "${i}", "userPrincipalName": "user${i}@contoso.com", "displayName": "User ${i}", "department": "Sales"}`);
    lines[19_999] = '  {"id": "last"}';
    const started = performance.now();
    const issues = issuesOf(`{"value": [\n${lines.join(',\n')}\n]}`);
    expect(issues).toEqual([{ line: 20_001, column: 3, message: 'user 20000 has no "userPrincipalName"' }]);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
