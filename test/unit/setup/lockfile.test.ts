import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp.ts';

const root = join(import.meta.dirname, '../../..');
const lockText = readFileSync(join(root, 'package-lock.json'), 'utf8');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('package-lock.json stays as npm writes it', () => {
  it('lists packages in npm\'s own order (English locale), so npm install on a fresh clone rewrites nothing', () => {
    const keys = Object.keys((JSON.parse(lockText) as { packages: Record<string, unknown> }).packages);
    const npmOrder = [...keys].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en')));
    const firstOutOfPlace = keys.findIndex((key, i) => key !== npmOrder[i]);
    expect(firstOutOfPlace === -1 ? null : `${keys[firstOutOfPlace]} where npm puts ${npmOrder[firstOutOfPlace]}`).toBeNull();
  });

  it('scripts/complete-lockfile.mjs leaves a complete lock byte-identical', () => {
    const temp = tempDir('lockfile-');
    cleanups.push(temp.cleanup);
    const dir = temp.path;
    copyFileSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
    execFileSync(process.execPath, [join(root, 'scripts/complete-lockfile.mjs')], { cwd: dir, stdio: 'pipe' });
    expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(lockText);
  });
});
