/**
 * `scim-planner report` and the checks against Microsoft (issue 14): with --workspace the report's revision brings its
 * newest check (kept there by `verify --workspace`); a report made from files says where checks are kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { tempDir } from '../../support/temp.ts';
import { partlyDisagreeing } from './checked-revision.ts';
import { cli, JOB_ID, mappingSet, startTenant, USERS, type Tenant } from './tenant.ts';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;
beforeEach(async () => {
  temp = tempDir('report-check-');
  tenant = await startTenant(temp.path);
  partlyDisagreeing(tenant.checks);
});
afterEach(async () => {
  await tenant.graph.close();
  temp.cleanup();
});

/** A workspace whose project has revision 1 of the tenant's mappings and a snapshot of its users. */
async function workspace(): Promise<string> {
  const path = join(temp.path, 'w.scimplan');
  const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path });
  try {
    for (const [name, input] of [
      ['mappings.save', { label: 'Contoso', mappingSet: mappingSet() }],
      ['directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) }],
    ] as const) {
      const envelope = await dispatch(backend.handlers, name, input);
      if (!envelope.ok) throw new Error(envelope.error.message);
    }
  } finally {
    await backend.close();
  }
  return path;
}

describe('scim-planner report: Checked with Microsoft', () => {
  it('with --workspace, reports the revision’s check kept by verify --workspace', async () => {
    const path = await workspace();
    const out = join(temp.path, 'report.md');
    const before = await cli([
      'report',
      '--workspace',
      path,
      '--format',
      'md',
      '--out',
      out,
      '--redact',
      'off',
      '--sections',
      'microsoftCheck',
    ]);
    expect(before.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Not checked with Microsoft for this revision (revision 1)');

    expect((await cli(['verify', '--workspace', path, '--users', tenant.usersFile, ...tenant.graphFlags])).code).toBe(
      1,
    );
    const after = await cli([
      'report',
      '--workspace',
      path,
      '--format',
      'json',
      '--out',
      join(temp.path, 'report.json'),
      '--redact',
      'off',
      '--sections',
      'microsoftCheck',
    ]);
    expect(after.code).toBe(0);
    const report = JSON.parse(readFileSync(join(temp.path, 'report.json'), 'utf8')) as {
      sections: string[];
      microsoftCheck: Record<string, unknown>;
    };
    expect(report.sections).toEqual(['microsoftCheck']);
    expect(report.microsoftCheck).toMatchObject({
      check: { revision: 1, jobId: JOB_ID, usersChecked: 3 },
      differences: [
        { targetAttribute: 'active', verdict: 'entra-refused' },
        {
          targetAttribute: 'displayName',
          user: 'chloe@contoso.com',
          ours: '["Chloé Dupré"]',
          entra: '["Chloe Dupre"]',
        },
      ],
    });
  });

  it('from files, says checks are kept with a workspace’s revisions', async () => {
    const out = join(temp.path, 'report.html');
    const run = await cli([
      'report',
      '--mappings',
      tenant.mappingsFile,
      '--users',
      tenant.usersFile,
      '--vendor',
      'generic',
      '--format',
      'html',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h2>Checked with Microsoft</h2>');
    expect(html).toContain('Not checked with Microsoft: checks are kept with a workspace’s mapping revisions.');
    expect(html).toContain('scim-planner verify --workspace FILE');
  });
});
