import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../electron/cli/command.ts';
import * as preview from '../../../electron/cli/preview.ts';

/**
 * A vendor profile's own `format.pattern` runs on every user's values. `^(a+)+$` on a 32-character value
 * stalled the native engine for over a minute (issue 19); patterns now run on the linear-time engine, and a
 * pattern that engine cannot run is refused when the profile is loaded.
 */

const root = new URL('../../../', import.meta.url).pathname;
const TEMPLATE = join(root, 'resources/templates/entra-scim-default.schema.json');
const DEMO_USERS = join(root, 'resources/demo-tenant/users.json');
const FORMS_ON_FIRE = join(root, 'resources/vendors/formsonfire.json');
const BOUND_MS = 10_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vendor-pattern-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeIO() {
  const out: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: () => undefined, stdin: new PassThrough(), env: {} };
  return { io, out };
}

/** Forms On Fire with a pattern on the given name, and a tenant whose first user has the hostile given name. */
function writeInputs(pattern: string, givenName: string) {
  const profile = JSON.parse(readFileSync(FORMS_ON_FIRE, 'utf8'));
  profile.attributes[0].format = { pattern, description: 'letters a only' };
  const profilePath = join(dir, 'profile.json');
  writeFileSync(profilePath, JSON.stringify(profile));
  const users = JSON.parse(readFileSync(DEMO_USERS, 'utf8'));
  users.value = users.value.slice(0, 3);
  users.value[0].givenName = givenName;
  const usersPath = join(dir, 'users.json');
  writeFileSync(usersPath, JSON.stringify(users));
  return { profilePath, usersPath, hostileId: users.value[0].id as string };
}

describe('preview --vendor FILE with a catastrophic pattern', () => {
  it('finishes and reports the value that does not match', async () => {
    const { profilePath, usersPath, hostileId } = writeInputs('^(a+)+$', `${'a'.repeat(32)}!`);
    const { io, out } = fakeIO();
    const started = performance.now();
    await preview.command.run(['--mappings', TEMPLATE, '--users', usersPath, '--vendor', profilePath], io);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    const result = JSON.parse(out.join(''));
    const hostile = result.users.find((u: { id: string }) => u.id === hostileId);
    const formatFinding = hostile.findings.find((f: { attribute?: string; message: string }) => f.attribute === 'name.givenName');
    expect(formatFinding?.message).toContain('letters a only');
  }, 60_000);

  it('refuses a profile whose pattern the linear-time engine cannot run, naming the field', async () => {
    const { profilePath, usersPath } = writeInputs('^(?=a)(a+)+$', 'Adele');
    const { io } = fakeIO();
    await expect(preview.command.run(['--mappings', TEMPLATE, '--users', usersPath, '--vendor', profilePath], io)).rejects.toThrow(
      /attributes\[0\]\.format\.pattern: cannot run on the linear-time regular expression engine/,
    );
  });
});
