import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredExports, moduleUses, unusedExports } from './export-usage.ts';

/**
 * Exports nothing imports, and why each may stay. An entry ending in "/" covers a folder, one ending in
 * ": name" a single export; every entry must still match something, so a stale one fails too.
 */
const ALLOWED: Record<string, string> = {
  'shared/api.ts: Methods': 'the typed contract between the renderer and the backend: every method of the bridge',
  'shared/api/': 'the DTOs of the bridge contract, named so either side can type what crosses it',
};

const allowedBy = (entry: string) =>
  Object.keys(ALLOWED).find((allowed) => (allowed.endsWith('/') ? entry.startsWith(allowed) : entry === allowed));

// An export nobody imports is dead code or a private helper that claims to be API (issue 17).
describe('dead exports', () => {
  const unused = unusedExports(process.cwd(), ['electron', 'shared', 'renderer'], ['electron', 'shared', 'renderer', 'scripts', 'test', 'bin']);

  it('electron/, shared/ and renderer/ export nothing that no file imports', () => {
    const dead = unused.filter((entry) => allowedBy(entry) === undefined);
    expect(dead, `Exported but imported nowhere (drop the export, or the code if nothing uses it):\n  ${dead.join('\n  ')}`).toEqual([]);
  });

  it('every allow-list entry still covers an unused export', () => {
    const stale = Object.keys(ALLOWED).filter((allowed) => !unused.some((entry) => allowedBy(entry) === allowed));
    expect(stale).toEqual([]);
  });

  it('reads declarations, local export lists and default exports, and skips comments', () => {
    const text = [
      'export function a() {}',
      'export async function b() {}',
      'export const c = 1, cc = 2;',
      'export type D = string;',
      'export interface E {}',
      'export abstract class F {}',
      'export enum G {}',
      'const h = 1;',
      'export { h, h as i };',
      "export { j } from './j.ts';",
      'export default function () {}',
      '// export const k = 1;',
    ].join('\n');
    expect(declaredExports(text).sort()).toEqual(['D', 'E', 'F', 'G', 'a', 'b', 'c', 'default', 'h', 'i']);
  });

  it('reads named, default, type-only, re-exported, wholesale and dynamic uses', () => {
    const text = [
      "import x, { a, type B, c as d } from './m.ts';",
      "import type {\n  E,\n} from './e.ts';",
      "import * as ns from './ns.ts';",
      "export { f as g } from './f.ts';",
      "export * from './all.ts';",
      "const { h } = await import('./h.ts');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(moduleUses(text)).toEqual([
      { specifier: './m.ts', names: ['a', 'B', 'c', 'default'], reexportsAll: false, byWord: false },
      { specifier: './e.ts', names: ['E'], reexportsAll: false, byWord: false },
      { specifier: './ns.ts', names: [], reexportsAll: false, byWord: true },
      { specifier: './f.ts', names: ['f'], reexportsAll: false, byWord: false },
      { specifier: './all.ts', names: [], reexportsAll: true, byWord: false },
      { specifier: './h.ts', names: [], reexportsAll: false, byWord: true },
    ]);
  });

  it('follows barrels and counts words of namespace and dynamic importers, in a tree of its own', () => {
    const root = mkdtempSync(join(tmpdir(), 'dead-exports-'));
    try {
      const files: Record<string, string> = {
        'lib/a.ts': 'export const used = 1;\nexport const unused = 2;\nexport const viaWord = 3;',
        'lib/index.ts': "export * from './a.ts';",
        'lib/b.ts': 'export function lazy() {}\nexport function never() {}',
        'app/main.ts': "import { used } from '../lib/index.ts';\nimport * as lib from '../lib/a.ts';\nlib.viaWord;\nconst { lazy } = await import('../lib/b.ts');",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      expect(unusedExports(root, ['lib'], ['lib', 'app'])).toEqual(['lib/a.ts: unused', 'lib/b.ts: never']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
