import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRendererBuildCurrent, rendererInputsHash, STAMP_FILE } from '../../../scripts/renderer-stamp.mjs';
import { describeNodeSupport } from '../../../scripts/node-support.mjs';
import { onBuildWarning } from '../../../vite.config.ts';
import { tempDir } from '../../support/temp.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function projectWithABuild(): { root: string; outDir: string } {
  const temp = tempDir('renderer-build-');
  cleanups.push(temp.cleanup);
  const root = temp.path;
  mkdirSync(join(root, 'renderer'), { recursive: true });
  mkdirSync(join(root, 'shared', 'scim'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'App.tsx'), 'export const App = 1;\n');
  writeFileSync(join(root, 'shared', 'scim', 'path.ts'), 'export const path = 1;\n');
  writeFileSync(join(root, 'vite.config.ts'), 'export default {};\n');
  const outDir = join(root, 'dist', 'renderer');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html>');
  return { root, outDir };
}

describe('npm run web reuses an up-to-date renderer build', () => {
  it('rebuilds when there is no stamp, reuses the build once stamped, rebuilds after a source changes', () => {
    const { root, outDir } = projectWithABuild();
    expect(isRendererBuildCurrent(root, outDir)).toBe(false);
    writeFileSync(join(outDir, STAMP_FILE), `${rendererInputsHash(root)}\n`);
    expect(isRendererBuildCurrent(root, outDir)).toBe(true);
    writeFileSync(join(root, 'shared', 'scim', 'path.ts'), 'export const path = 2;\n');
    expect(isRendererBuildCurrent(root, outDir)).toBe(false);
  });

  it('counts a new file and the build settings as inputs, and ignores what is not an input', () => {
    const { root, outDir } = projectWithABuild();
    const before = rendererInputsHash(root);
    writeFileSync(join(root, 'README.md'), 'not an input');
    mkdirSync(join(root, 'test'));
    writeFileSync(join(root, 'test', 'x.test.ts'), 'not an input');
    expect(rendererInputsHash(root)).toBe(before);
    writeFileSync(join(root, 'renderer', 'New.tsx'), 'export {};\n');
    const withNewFile = rendererInputsHash(root);
    expect(withNewFile).not.toBe(before);
    writeFileSync(join(root, 'vite.config.ts'), 'export default { base: "/" };\n');
    expect(rendererInputsHash(root)).not.toBe(withNewFile);
    expect(isRendererBuildCurrent(root, outDir)).toBe(false);
  });

  it('silences only zod\'s known comment-annotation warning', () => {
    const printed: string[] = [];
    const warn = (w: { code?: string; message: string }) => printed.push(w.code ?? w.message);
    onBuildWarning({ code: 'INVALID_ANNOTATION', message: 'A comment…', id: '/work/main/node_modules/zod/v4/core/util.js' }, warn);
    onBuildWarning({ code: 'INVALID_ANNOTATION', message: 'A comment…', id: '/work/main/renderer/App.tsx' }, warn);
    onBuildWarning({ code: 'CIRCULAR_DEPENDENCY', message: 'cycle', id: '/work/main/node_modules/zod/v4/core/util.js' }, warn);
    expect(printed).toEqual(['INVALID_ANNOTATION', 'CIRCULAR_DEPENDENCY']);
  });
});

describe('npm start says which Node.js it found and what it supports', () => {
  it('Node 20.19+ runs development and browser mode; the Electron toolchain wants 22.12+', () => {
    expect(describeNodeSupport('v20.20.2')).toMatchObject({ ok: true, electronToolchain: false });
    expect(describeNodeSupport('v20.20.2').line).toMatch(/v20\.20\.2 found.*browser mode are supported \(20\.19\+\).*22\.12\+/);
    expect(describeNodeSupport('v22.12.0')).toMatchObject({ ok: true, electronToolchain: true });
    expect(describeNodeSupport('v24.1.0')).toMatchObject({ ok: true, electronToolchain: true });
    expect(describeNodeSupport('v20.18.3')).toMatchObject({ ok: false });
    expect(describeNodeSupport('v18.20.0').line).toMatch(/needs 20\.19\+/);
  });
});
