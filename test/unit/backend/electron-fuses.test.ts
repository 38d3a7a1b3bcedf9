import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

/**
 * The packaging config declares no YAML parser, so this reads the one block it checks: the top-level
 * `electronFuses:` mapping of `name: true|false` lines. Anything else inside the block fails the test
 * rather than being skipped, so a fuse cannot hide behind syntax this reader does not understand.
 */
function readTopLevelBlock(yaml: string, key: string): Map<string, boolean> {
  const lines = yaml.split(/\r?\n/);
  const starts = lines.flatMap((line, index) => (line === `${key}:` ? [index] : []));
  if (starts.length !== 1) throw new Error(`expected one top-level "${key}:" line, found ${starts.length}`);
  const values = new Map<string, boolean>();
  for (const line of lines.slice(starts[0]! + 1)) {
    if (line.trim() === '' || /^\s+#/.test(line)) continue;
    if (!line.startsWith(' ')) break;
    const entry = /^ {2}([A-Za-z0-9]+): (true|false)$/.exec(line);
    if (!entry) throw new Error(`unexpected line in ${key}: ${JSON.stringify(line)}`);
    if (values.has(entry[1]!)) throw new Error(`${entry[1]} is set twice in ${key}`);
    values.set(entry[1]!, entry[2] === 'true');
  }
  return values;
}

const config = readFileSync('electron-builder.yml', 'utf8');

describe('electron-builder.yml flips the Electron fuses', () => {
  it('sets every fuse to its locked-down value', () => {
    expect(Object.fromEntries(readTopLevelBlock(config, 'electronFuses'))).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('keeps the app in app.asar, which onlyLoadAppFromAsar and the integrity check rely on', () => {
    expect(config).not.toMatch(/^asar:\s*false/m);
  });

  it('rejects a block it cannot read instead of skipping it', () => {
    expect(() => readTopLevelBlock('electronFuses:\n  runAsNode: "false"\n', 'electronFuses')).toThrow(
      /unexpected line/,
    );
    expect(() => readTopLevelBlock('electronFuses:\n  runAsNode: false\n  runAsNode: true\n', 'electronFuses')).toThrow(
      /set twice/,
    );
    expect(() => readTopLevelBlock('appId: x\n', 'electronFuses')).toThrow(/found 0/);
  });
});
