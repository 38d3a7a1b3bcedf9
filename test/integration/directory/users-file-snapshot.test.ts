import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_COST_CENTER_EXTENSION, DEMO_SKILLS_EXTENSION, generateDemoTenant } from '../../../scripts/demo-tenant/generate.ts';
import { importUsersFile } from '../../../electron/backend/directory/snapshot.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { exportUsersCsv, importUsersCsv } from '../../../shared/directory/csv-import.ts';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { isDirectoryExtensionName } from '../../../shared/directory/source-schema.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The snapshot a streamed import writes is the one the whole file gives: each user's raw JSON, and its source derived
 * with the file's directory extensions (every extension_* key any user carries, in order of first appearance), in file
 * order, whatever the chunk size, with managers named further down and extensions first seen late.
 */
function expectedRows(users: readonly GraphUser[]): { raw: string; source: string }[] {
  const declared = [...new Set(users.flatMap((u) => Object.keys(u).filter(isDirectoryExtensionName)))];
  return users.map((u) => ({ raw: JSON.stringify(u), source: JSON.stringify(graphUserToSource(u, { directoryExtensions: declared })) }));
}

const chunked = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('a streamed users file becomes the snapshot the whole file gives', () => {
  const dir = tempDir();
  const store = new WorkspaceStore(join(dir.path, 'w.scimplan'));
  const project = store.createProject('streaming');
  afterAll(() => {
    store.close();
    dir.cleanup();
  });

  const storedRows = (snapshotId: number) =>
    store.db.prepare('SELECT raw, source FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal').all(snapshotId) as { raw: string; source: string }[];

  const importText = (fileName: string, text: string, size: number) =>
    importUsersFile(store, { projectId: project.id, label: `${fileName} in ${size}-character chunks`, fileName, chunks: chunked(text, size) });

  it('the demo tenant’s users.json, in chunks of every size', () => {
    const text = readFileSync(new URL('../../../resources/demo-tenant/users.json', import.meta.url), 'utf8');
    const expected = expectedRows((JSON.parse(text) as { value: GraphUser[] }).value);
    for (const size of [97, 4096, text.length]) {
      const { snapshot, format } = importText('users.json', text, size);
      expect(format).toBe('json');
      expect(storedRows(snapshot.id)).toEqual(expected);
    }
  });

  it('a compact users file (one user per line, as fetch --out writes it), escapes and numbers included, in chunks of every size', () => {
    const users: GraphUser[] = [
      ...generateDemoTenant().users.value.slice(0, 60),
      { id: 'e1', userPrincipalName: 'e\u0301@contoso.com', displayName: 'say "hi" \\ back\tslash' },
      { id: 'e2', userPrincipalName: 'n@contoso.com', extension_0123456789abcdef0123456789abcdef_level: 1.5, surname: '😀' },
    ];
    // escapes and a number written the long way, which the stored raw JSON does not keep
    const lines = users.map((u) => JSON.stringify(u).replace('"e\u0301', '"e\\u0301').replace(':1.5,', ':1.50,'));
    const text = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[\n${lines.join(',\n')}\n]}\n`;
    const expected = expectedRows(users);
    for (const size of [97, 4096, text.length]) expect(storedRows(importText('compact.json', text, size).snapshot.id)).toEqual(expected);
  });

  it('an extension first carried by a late user is a null source attribute of every user before it', () => {
    const users: GraphUser[] = [
      { id: '1', userPrincipalName: 'a@contoso.com' },
      { id: '2', userPrincipalName: 'b@contoso.com', extension_0123456789abcdef0123456789abcdef_badge: 'B-2' },
      { id: '3', userPrincipalName: 'c@contoso.com', extension_0123456789abcdef0123456789abcdef_site: 'Oslo' },
    ];
    const { snapshot } = importText('late.json', JSON.stringify({ value: users }), 16);
    const sources = storedRows(snapshot.id).map((row) => JSON.parse(row.source) as Record<string, unknown>);
    expect(sources.map((s) => [s.extension_0123456789abcdef0123456789abcdef_badge, s.extension_0123456789abcdef0123456789abcdef_site])).toEqual([
      [null, null],
      ['B-2', null],
      [null, 'Oslo'],
    ]);
    expect(storedRows(snapshot.id)).toEqual(expectedRows(users));
  });

  const demoUsers = generateDemoTenant().users.value.map((user) => {
    // Multi-valued directory extensions have no single-cell form in the template.
    const copy: GraphUser = { ...user };
    delete copy[DEMO_SKILLS_EXTENSION];
    return copy;
  });
  const template = exportUsersCsv(demoUsers, [DEMO_COST_CENTER_EXTENSION]);
  const [header, ...rows] = template.split('\r\n').filter(Boolean);
  const csvFormats: [string, string][] = [
    ['the template layout (CRLF)', template],
    ['managers listed after their reports (LF)', `${[header, ...rows.reverse()].join('\n')}\n`],
    ['";" between fields and a BOM', `\uFEFF${template.replaceAll(',', ';')}`],
    [
      "Entra's Download users labels",
      [
        'User principal name,Object Id,Display name,Office phone,Block sign in,Department,ageGroup',
        ...demoUsers.slice(0, 40).map((u, i) => [u.userPrincipalName, u.id, `"${u.displayName}, Jr."`, `+1 425 555 01${String(i).padStart(2, '0')}`, i % 7 ? 'No' : 'Yes', u.department ?? '', 'Adult'].join(',')),
      ].join('\r\n'),
    ],
  ];
  for (const [what, text] of csvFormats) {
    it(`a users CSV: ${what}, in chunks of every size`, () => {
      const whole = importUsersCsv(text);
      const expected = expectedRows(whole.users);
      for (const size of [61, 4096, text.length]) {
        const { snapshot, format, warnings } = importText('users.csv', text, size);
        expect([format, warnings]).toEqual(['csv', whole.warnings]);
        expect(storedRows(snapshot.id)).toEqual(expected);
      }
    });
  }
});
