import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { FixImpact, MappingSet, MethodName, PreviewRunSummary } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

const HIRE_DATE = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date';
/** The hire date as the admin of issue 20 mapped it: a German date where HiThrive needs YYYY-MM-DD. */
const GERMAN_HIRE_DATE = 'FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")';

/**
 * "Fix it" on the demo tenant (200 users) through the dispatch every door uses: the fix is previewed over the
 * snapshot before anything is saved, saved only on Apply, and never offered when it adds errors.
 */
describe('previewing and applying a fix', () => {
  const dir = tempDir('scim-planner-fix-');
  let backend: Backend;

  async function call<T = unknown>(name: MethodName, input: unknown): Promise<T> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as T;
  }

  /** HiThrive's recommended mappings with the hire date row mapped from `expression`, saved as a revision. */
  async function saveHireDate(expression: string): Promise<number> {
    const templates = await call<Array<{ id: string; mappingSet: MappingSet }>>('mappings.templates', {});
    const set = structuredClone(templates.find((t) => t.id === 'hithrive')!.mappingSet);
    const rows = set.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!.attributeMappings;
    const row = rows.find((r) => r.targetAttributeName === HIRE_DATE)!;
    row.source = { type: 'Function', name: null, expression, parameters: [] };
    const saved = await call<{ revision: number }>('mappings.save', { label: `hire date from ${expression}`, mappingSet: set });
    return saved.revision;
  }

  const hireDateOf = (set: MappingSet) =>
    set.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!.attributeMappings.find((r) => r.targetAttributeName === HIRE_DATE)!.source?.expression;
  const revisions = () => call<Array<{ revision: number }>>('mappings.listRevisions', {});

  beforeAll(() => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
  });
  afterAll(async () => {
    await backend.close();
    dir.cleanup();
  });

  it('replaces the output format of the existing FormatDateTime, previews 0 new errors, and saves only on Apply (issue 20)', async () => {
    const revision = await saveHireDate(GERMAN_HIRE_DATE);
    const run = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    expect(run.revision).toBe(revision);
    const group = run.findingGroups.find((g) => g.code === 'VENDOR_FORMAT' && g.attribute === HIRE_DATE)!;
    expect(group).toMatchObject({ severity: 'error', count: 170, fixable: true });
    expect(group.fix).toBe('Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy).');

    const impact = await call<FixImpact>('preview.fixImpact', { runId: run.runId, code: group.code, attribute: group.attribute, sample: 3 });
    expect(impact.description).toBe('Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy)');
    expect(hireDateOf(impact.before)).toBe(GERMAN_HIRE_DATE);
    expect(hireDateOf(impact.after)).toBe('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")');
    expect(impact).toMatchObject({ users: 200, changedUsers: 170, errorsBefore: run.errors, newErrors: [], offered: true, notOffered: null });
    // the 170 users in error were the only errors: none is left
    expect(impact.errorsAfter).toBe(0);
    // before/after values of the changed attribute for a bounded sample
    expect(impact.sample).toHaveLength(3);
    for (const user of impact.sample) {
      const change = user.changes.find((c) => c.attribute === HIRE_DATE)!;
      expect(change.from).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
      const [day, month, year] = String(change.from).split('.');
      expect(change.to).toBe(`${year}-${month}-${day}`);
      expect(user.errorsAfter).toEqual([]);
    }
    // previewing saved nothing
    expect((await revisions()).at(-1)!.revision).toBe(revision);

    const applied = await call<{ revision: number; label: string }>('preview.applyFix', { runId: run.runId, code: group.code, attribute: group.attribute });
    expect(applied.revision).toBe(revision + 1);
    const rerun = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    expect(rerun.revision).toBe(applied.revision);
    expect(rerun.byAction.error).toBe(0);
    expect(rerun.errors).toBe(impact.errorsAfter);
    expect(rerun.findingGroups.some((g) => g.code === 'VENDOR_FORMAT')).toBe(false);
    const saved = await call<{ mappingSet: MappingSet }>('mappings.getRevision', { revision: applied.revision });
    expect(hireDateOf(saved.mappingSet)).toBe(hireDateOf(impact.after));
  });

  it('does not offer a fix that would turn users into errors, says why, and refuses to apply it', async () => {
    // department names are no date-times: wrapping them in FormatDateTime fails for every user with one
    const revision = await saveHireDate('[department]');
    const run = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    const group = run.findingGroups.find((g) => g.code === 'VENDOR_FORMAT' && g.attribute === HIRE_DATE)!;
    const impact = await call<FixImpact>('preview.fixImpact', { runId: run.runId, code: group.code, attribute: group.attribute });
    expect(impact.offered).toBe(false);
    // about as many errors as before, but new ones: the users' requests fail instead of carrying a bad value
    const runtime = impact.newErrors.find((e) => e.code === 'EXPRESSION_RUNTIME_ERROR')!;
    expect(runtime.users).toBeGreaterThan(100);
    expect(impact.notOffered).toBe(`This fix is not offered: it would add EXPRESSION_RUNTIME_ERROR on ${runtime.attribute} (${runtime.users} user(s)).`);
    expect(impact.sample[0]!.errorsAfter.length).toBeGreaterThan(0);
    await expect(call('preview.applyFix', { runId: run.runId, code: group.code, attribute: group.attribute })).rejects.toMatchObject({
      code: 'not-fixable',
      message: impact.notOffered,
    });
    expect((await revisions()).at(-1)!.revision).toBe(revision);
  });

  it('never applies a fix onto a revision saved after the preview ran', async () => {
    await saveHireDate(GERMAN_HIRE_DATE);
    const run = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    const later = await saveHireDate('[employeeHireDate]');
    await expect(call('preview.applyFix', { runId: run.runId, code: 'VENDOR_FORMAT', attribute: HIRE_DATE })).rejects.toMatchObject({
      code: 'not-fixable',
      message: `The mappings were saved as revision ${later} after this preview ran; run the preview again, then apply the fix.`,
    });
    expect((await revisions()).at(-1)!.revision).toBe(later);
  });

  it('names a finding without a one-click fix', async () => {
    const run = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    const manual = run.findingGroups.find((g) => !g.fixable)!;
    await expect(call('preview.fixImpact', { runId: run.runId, code: manual.code, attribute: manual.attribute })).rejects.toMatchObject({ code: 'not-fixable' });
  });
});
