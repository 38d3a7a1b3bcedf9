/**
 * What the Preview, the report and the vector export read of a check against Microsoft (issue 14), through the
 * backend's handlers on a real workspace, with the check run against the fake Graph over HTTP on 127.0.0.1.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { parseCsv } from '../../../shared/reports/csv.ts';
import { tempDir } from '../../support/temp.ts';
import { BOB_REFUSAL, checkRevisionOne, partlyDisagreeing } from './checked-revision.ts';
import { DISPLAY_NAME_EXPRESSION, JOB_ID, mappingSet, startTenant, type Tenant } from './tenant.ts';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;
let backend: Backend;

beforeEach(async () => {
  temp = tempDir('preview-check-');
  tenant = await startTenant(temp.path);
  partlyDisagreeing(tenant.checks);
  backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(temp.path, 'w.scimplan') });
});
afterEach(async () => {
  await backend.close();
  await tenant.graph.close();
  temp.cleanup();
});

async function call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const envelope = await dispatch(backend.handlers, name, input);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as MethodOutput<M>;
}

async function failure(name: MethodName, input: unknown): Promise<{ code: string; message: string }> {
  const envelope = await dispatch(backend.handlers, name, input);
  if (envelope.ok) throw new Error(`${name} was expected to fail`);
  return envelope.error;
}

const checkRevision = () =>
  checkRevisionOne(
    call,
    (listener) => backend.events.subscribe(listener),
    tenant.graph.baseUrl,
    tenant.graph.accessToken,
  );

describe('a revision checked with Microsoft, as the Preview reads it', () => {
  it('gives every sampled user’s evaluation of the revision, and for another revision only which one was checked', async () => {
    const { revision } = await call('mappings.save', { label: 'Before', mappingSet: mappingSet() as never });
    expect(await call('synchronization.revisionCheck', { revision })).toEqual({ check: null, newestChecked: null });

    const checked = await checkRevision();
    const { check, newestChecked } = await call('synchronization.revisionCheck', { revision: checked.revision });
    expect(newestChecked).toEqual({ revision: checked.revision, checkedAt: check!.checkedAt });
    expect(check).toMatchObject({ revision: checked.revision, jobId: JOB_ID, complete: true, skipped: [] });
    expect(check!.evaluations).toHaveLength(9);
    const chloe = check!.evaluations.find(
      (e) => e.targetAttribute === 'displayName' && e.userPrincipalName === 'chloe@contoso.com',
    )!;
    expect(chloe).toMatchObject({
      userId: 'c3333333-0000-4000-8000-000000000003',
      verdict: 'differ',
      ours: { ok: true, value: ['Chloé Dupré'] },
      entra: { value: ['Chloe Dupre'] },
      attributes: ['givenName', 'surname'],
    });
    const bob = check!.evaluations.find(
      (e) => e.targetAttribute === 'active' && e.userId === 'b2222222-0000-4000-8000-000000000002',
    )!;
    expect(bob).toMatchObject({
      verdict: 'entra-refused',
      entra: { evaluationSucceeded: false, error: `ExpressionEvaluationFailed: ${BOB_REFUSAL}` },
    });

    // the revision saved before the check, and a newer one, were not checked: they never show revision 1's result
    const { revision: later } = await call('mappings.save', {
      label: 'After',
      mappingSet: mappingSet({ title: 'ToUpper([jobTitle])' }) as never,
    });
    for (const unchecked of [revision, later])
      expect(await call('synchronization.revisionCheck', { revision: unchecked })).toEqual({
        check: null,
        newestChecked: { revision: checked.revision, checkedAt: check!.checkedAt },
      });
    expect(await failure('synchronization.revisionCheck', { revision: 99 })).toMatchObject({ code: 'not-found' });
  });
});

describe('the disagreements exported as expression vectors', () => {
  it('names the attributes and carries no value unless real values are asked for', async () => {
    const { revision, snapshotId } = await checkRevision();
    const without = await call('synchronization.exportVectors', { revision, includeValues: false });
    expect(without).toMatchObject({ fileName: `entra-check-revision-${revision}.jsonl`, encoding: 'utf8', vectors: 2 });
    const plain = without.content
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(plain.map((v) => [(v.context as { targetAttribute: string }).targetAttribute, v.attributes])).toEqual([
      ['active', ['IsSoftDeleted']],
      ['displayName', ['givenName', 'surname']],
    ]);
    for (const vector of plain) {
      expect(vector.source).toEqual({});
      expect(vector).not.toHaveProperty('expected');
    }
    expect(without.content).not.toMatch(/Chlo|Dupr|Bob/);
    expect(plain[0]).toMatchObject({ error: true });

    const withValues = await call('synchronization.exportVectors', {
      revision,
      includeValues: true,
      snapshotId,
      targetAttribute: 'displayName',
    });
    expect(withValues).toMatchObject({
      fileName: `entra-check-revision-${revision}-displayname-with-values.jsonl`,
      vectors: 1,
    });
    expect(JSON.parse(withValues.content)).toMatchObject({
      expression: DISPLAY_NAME_EXPRESSION,
      source: { givenName: 'Chloé', surname: 'Dupré' },
      expected: 'Chloe Dupre',
      context: { targetAttribute: 'displayName' },
    });
  });

  it('refuses real values without the snapshot they come from, and a row the check does not have', async () => {
    const { revision } = await checkRevision();
    expect(await failure('synchronization.exportVectors', { revision, includeValues: true })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/snapshot/),
    });
    expect(
      await failure('synchronization.exportVectors', { revision, includeValues: false, targetAttribute: 'nickName' }),
    ).toMatchObject({ code: 'not-found', message: expect.stringMatching(/nickName/) });
    const { revision: unchecked } = await call('mappings.save', { label: 'After', mappingSet: mappingSet() as never });
    expect(await failure('synchronization.exportVectors', { revision: unchecked, includeValues: false })).toMatchObject(
      { code: 'not-found', message: expect.stringMatching(/not been checked/) },
    );
  });
});

describe('the report’s "Checked with Microsoft" section from the workspace', () => {
  const save = async (format: 'html' | 'md' | 'csv' | 'json', options: MethodInput<'reports.save'>['options']) =>
    (await call('reports.save', { format, options })).content;

  it('shows the verdict counts per row and each difference in every format, with the check’s date, job and revision', async () => {
    const { revision, snapshotId } = await checkRevision();
    const options = { revision, snapshotId, redaction: 'off' as const, sections: ['microsoftCheck' as const] };
    const json = JSON.parse(await save('json', options)) as { microsoftCheck: Record<string, unknown> };
    expect(json.microsoftCheck).toMatchObject({
      check: { revision, jobId: JOB_ID, complete: true, usersChecked: 3 },
      rows: [
        { targetAttribute: 'active', counts: { agree: 2, 'entra-refused': 1 } },
        { targetAttribute: 'displayName', counts: { agree: 2, differ: 1 } },
        { targetAttribute: 'preferredLanguage', counts: { agree: 3 } },
      ],
      differences: [
        {
          targetAttribute: 'active',
          user: 'bob@fabrikam.com',
          verdict: 'entra-refused',
          ours: '["True"]',
          entra: `refused: ExpressionEvaluationFailed: ${BOB_REFUSAL}`,
        },
        {
          targetAttribute: 'displayName',
          user: 'chloe@contoso.com',
          verdict: 'differ',
          ours: '["Chloé Dupré"]',
          entra: '["Chloe Dupre"]',
        },
      ],
      valuesNote: null,
    });
    const summary = json.microsoftCheck.summary as string;
    expect(summary).toMatch(
      new RegExp(
        `^Checked with Microsoft \\(revision ${revision}, \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, job ${JOB_ID.replace(/\./g, '\\.')}\\): 1 row agrees on all 3 sampled users, 2 differ\\.$`,
      ),
    );

    const html = await save('html', options);
    expect(html).toContain('<h2>Checked with Microsoft</h2>');
    expect(html).toContain(`job ${JOB_ID}`);
    expect(html).toContain(
      '<td>displayName</td><td>chloe@contoso.com</td><td>differs</td><td>[&quot;Chloé Dupré&quot;]</td><td>[&quot;Chloe Dupre&quot;]</td>',
    );

    const md = await save('md', options);
    expect(md).toContain('## Checked with Microsoft');
    expect(md).toContain('| displayName | chloe@contoso.com | differs | \\["Chloé Dupré"\\] | \\["Chloe Dupre"\\] |');
    expect(md).toContain(
      `| active | ${'`'}${'Switch([IsSoftDeleted], , "False", "True", "True", "False")'}${'`'} | 2 | 0 | 1 | 0 | 0 |`,
    );

    const csv = parseCsv(await save('csv', options)).filter((row) => row[0] === 'Checked with Microsoft');
    expect(csv[0]![13]).toBe(summary);
    expect(csv.find((row) => row[2] === 'displayName' && row[11] === '')).toEqual(
      expect.arrayContaining(['3', 'agrees 2, differs 1']),
    );
    expect(csv.find((row) => row[11] === 'differ')).toEqual(
      expect.arrayContaining([
        'displayName',
        'Preview ["Chloé Dupré"]; Microsoft Entra ["Chloe Dupre"]',
        'chloe@contoso.com',
      ]),
    );
  });

  it('leaves out values computed from personal attributes and pseudonymises the users, as the other sections do', async () => {
    const { revision, snapshotId } = await checkRevision();
    const json = JSON.parse(await save('json', { revision, snapshotId, sections: ['microsoftCheck'] })) as {
      microsoftCheck: { differences: Record<string, unknown>[]; valuesNote: string };
    };
    const [bob, chloe] = json.microsoftCheck.differences;
    // active reads IsSoftDeleted, which identifies nobody: its values stay; displayName reads givenName and surname
    expect(bob).toMatchObject({ verdict: 'entra-refused', ours: '["True"]' });
    expect(chloe).toMatchObject({ verdict: 'differ', ours: null, entra: null });
    expect(String(chloe!.user)).toMatch(/@contoso\.com$/);
    expect(String(bob!.user)).toMatch(/^[a-z.]+\.sample\d+@example\.com$/);
    expect(json.microsoftCheck.valuesNote).toMatch(/givenName, surname/);
    const all = await save('md', { revision, snapshotId, sections: ['microsoftCheck'] });
    expect(all).not.toMatch(/chloe@|Chloé|Chloe Dupre|bob@|bob_fabrikam/i);

    const removed = JSON.parse(
      await save('json', { revision, snapshotId, sections: ['microsoftCheck'], redaction: 'remove' }),
    ) as { microsoftCheck: { differences: Record<string, unknown>[]; valuesNote: string } };
    expect(removed.microsoftCheck.differences.map((d) => [d.user, d.ours, d.entra])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
    expect(removed.microsoftCheck.valuesNote).toMatch(/redaction "remove"/);
  });

  it('says the report’s revision was not checked, in every format, rather than show another revision’s check', async () => {
    const { revision: checked, snapshotId } = await checkRevision();
    const { revision } = await call('mappings.save', { label: 'After', mappingSet: mappingSet() as never });
    const options = { revision, snapshotId, sections: ['microsoftCheck' as const] };
    const expected = `Not checked with Microsoft for this revision (revision ${revision})`;
    const json = JSON.parse(await save('json', options)) as {
      microsoftCheck: { summary: string; check: unknown; differences: unknown[] };
    };
    expect(json.microsoftCheck).toMatchObject({ check: null, differences: [] });
    expect(json.microsoftCheck.summary).toContain(expected);
    expect(json.microsoftCheck.summary).toContain(`The newest check is of revision ${checked}`);
    expect(await save('html', options)).toContain(expected);
    expect(await save('md', options)).toContain(expected);
    expect(
      parseCsv(await save('csv', options))
        .filter((row) => row[0] === 'Checked with Microsoft')
        .map((row) => row[13]!.slice(0, expected.length)),
    ).toEqual([expected]);
  });
});
