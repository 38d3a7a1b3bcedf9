import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope, PreviewRunSummary } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import * as preview from '../../../electron/cli/preview.ts';
import type { CliIO } from '../../../electron/cli/command.ts';
import { tempDir } from '../../support/temp.ts';

const root = join(import.meta.dirname, '../../..');
const TEMPLATE = join(root, 'resources/templates/entra-scim-default.schema.json');
const USERS = join(root, 'resources/demo-tenant/users.json');
const GROUPS = join(root, 'resources/demo-tenant/groups.json');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// One preview + vendor-findings flow, two doors (issue 17): the Preview screen and `scim-planner preview`
// report the same counts for the same users, mappings and vendor.
describe('the Preview screen and the CLI', () => {
  it.each(['hithrive', 'hector', 'formsonfire'])('find the same errors and warnings for the demo tenant with %s', async (vendorId) => {
    const dir = tempDir('same-findings-');
    cleanups.push(() => dir.cleanup());
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
    cleanups.push(() => backend.close());
    const envelope = (await dispatch(backend.handlers, 'preview.run', { vendorId })) as Envelope<PreviewRunSummary>;
    if (!envelope.ok) throw new Error(envelope.error.message);
    const app = envelope.value;

    let out = '';
    const io: CliIO = { out: (text) => void (out += text), err: () => undefined, stdin: process.stdin, env: process.env };
    await preview.command.run(['--mappings', TEMPLATE, '--users', USERS, '--groups', GROUPS, '--vendor', vendorId], io);
    const cli = JSON.parse(out) as { summary: { users: number; errors: number; warnings: number; byAction: Record<string, number> } };

    expect(cli.summary.users).toBe(app.users);
    expect(cli.summary.byAction).toEqual(app.byAction);
    expect({ errors: cli.summary.errors, warnings: cli.summary.warnings }).toEqual({ errors: app.errors, warnings: app.warnings });
  });
});
