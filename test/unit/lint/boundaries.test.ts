import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The layer rule of architecture.md, checked through the project's real ESLint config.
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('fails on node:fs inside shared/', async () => {
    const errors = await boundaryErrors('shared/expressions/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/shared\/ runs everywhere/);
  });

  it('fails on electron, renderer/ or electron/ inside shared/', async () => {
    expect(await boundaryErrors('shared/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await boundaryErrors('shared/probe.ts', "import { App } from '../renderer/App.tsx';\nexport const a = App;\n")).toHaveLength(1);
    expect(await boundaryErrors('shared/probe.ts', "import { Backend } from '../electron/backend/backend.ts';\nexport const b = Backend;\n")).toHaveLength(1);
  });

  it('fails on Node built-ins or electron/ inside renderer/', async () => {
    expect(await boundaryErrors('renderer/probe.ts', "import { join } from 'node:path';\nexport const j = join;\n")).toHaveLength(1);
    expect(await boundaryErrors('renderer/probe.ts', "import { dispatch } from '../electron/backend/dispatch.ts';\nexport const d = dispatch;\n")).toHaveLength(1);
  });

  it('lets only main.ts and preload.ts import electron', async () => {
    expect(await boundaryErrors('electron/backend/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await boundaryErrors('electron/main.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await boundaryErrors('electron/preload.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toEqual([]);
  });

  it('allows shared/ to import shared/ and zod', async () => {
    expect(await boundaryErrors('shared/probe.ts', "import { z } from 'zod';\nimport { NULL } from './expressions/value.ts';\nexport const v = [z, NULL];\n")).toEqual([]);
  });
});
