import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Each layer's tsconfig.json gives it only its runtime's globals (architecture.md, Layers): a probe file
// compiled with the layer's real config shows which globals that layer can and cannot name.
type Layer = 'shared' | 'renderer' | 'electron';
// Parsed lib and @types files, shared by every probe so each compile reads them once.
const parsed = new Map<string, ts.SourceFile | undefined>();

function compileProbe(layer: Layer, code: string): string[] {
  const dir = resolve(process.cwd(), layer);
  const configFile = ts.readConfigFile(resolve(dir, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  if (configFile.error) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n'));
  const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const probe = resolve(dir, '__layer_probe__.ts');
  // The layer's own ambient declarations (e.g. shared/host-globals.d.ts) belong to the probe's program too.
  const ambient = config.fileNames.filter((name) => name.endsWith('.d.ts'));
  const host = ts.createCompilerHost(config.options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    if (resolve(fileName) === probe) return ts.createSourceFile(fileName, code, languageVersion);
    if (!parsed.has(fileName)) parsed.set(fileName, readSource(fileName, languageVersion, onError));
    return parsed.get(fileName);
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => resolve(fileName) === probe || baseFileExists(fileName);
  const program = ts.createProgram({ rootNames: [...ambient, probe], options: config.options, host });
  const probeFile = program.getSourceFile(probe)!;
  return [...program.getSemanticDiagnostics(probeFile), ...program.getSyntacticDiagnostics(probeFile)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

describe('per-layer globals', { timeout: 60_000 }, () => {
  it('shared/ cannot name the DOM, Node or host timers', () => {
    const errors = compileProbe(
      'shared',
      'export const a = document.title;\nexport const b = process.env;\nexport const c = Buffer.from("x");\nexport const d = setTimeout;\n',
    );
    expect(errors).toEqual([
      expect.stringMatching(/Cannot find name 'document'/),
      expect.stringMatching(/Cannot find name 'process'/),
      expect.stringMatching(/Cannot find name 'Buffer'/),
      expect.stringMatching(/Cannot find name 'setTimeout'/),
    ]);
  });

  it('shared/ still has ECMAScript and the declared host globals', () => {
    expect(
      compileProbe(
        'shared',
        'export const a = [1, 2].findLast((n) => n > 0);\nexport const b = structuredClone({ x: 1 });\n',
      ),
    ).toEqual([]);
  });

  it('renderer/ has the DOM but not Node', () => {
    expect(compileProbe('renderer', 'export const a = document.title;\nexport const b = window.setTimeout;\n')).toEqual(
      [],
    );
    const errors = compileProbe('renderer', 'export const a = process.env;\nexport const b = Buffer.from("x");\n');
    expect(errors).toEqual([
      expect.stringMatching(/Cannot find name 'process'/),
      expect.stringMatching(/Cannot find name 'Buffer'/),
    ]);
  });

  it('electron/ has Node but not the DOM', () => {
    expect(compileProbe('electron', 'export const a = process.env;\nexport const b = Buffer.from("x");\n')).toEqual([]);
    expect(compileProbe('electron', 'export const a = document.title;\n')).toEqual([
      expect.stringMatching(/Cannot find name 'document'/),
    ]);
  });
});

// The same rule through the project's real ESLint config, so the editor and CI flag it without tsc.
const eslint = new ESLint({ cwd: process.cwd() });

async function undefinedGlobals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-undef').map((m) => m.message);
}

describe('per-layer globals in ESLint', () => {
  const probe = 'export const a = document.title;\nexport const b = process.env;\n';

  it('shared/ may name neither the DOM nor Node', async () => {
    expect(await undefinedGlobals('shared/probe.ts', probe)).toEqual([
      "'document' is not defined.",
      "'process' is not defined.",
    ]);
    expect(await undefinedGlobals('shared/probe.ts', 'export const c = structuredClone(new Map([[1, 2]]));\n')).toEqual(
      [],
    );
  });

  it('renderer/ may name the DOM but not Node', async () => {
    expect(await undefinedGlobals('renderer/probe.ts', probe)).toEqual(["'process' is not defined."]);
  });

  it('electron/ and scripts/ may name Node but not the DOM', async () => {
    expect(await undefinedGlobals('electron/backend/probe.ts', probe)).toEqual(["'document' is not defined."]);
    expect(await undefinedGlobals('scripts/probe.ts', probe)).toEqual(["'document' is not defined."]);
  });
});
