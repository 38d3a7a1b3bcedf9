import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { MappingSet, type MethodName } from '../../../shared/api.ts';
import { findObjectMapping, importMappingSet } from '../../../shared/mapping/model.ts';
import { tempDir } from '../../support/temp.ts';

/** The mappings handlers on a real workspace file, called through the same dispatch every door uses. */
describe('mappings handlers on a temp workspace', () => {
  const dir = tempDir('scim-planner-mappings-');
  let backend: Backend;

  async function call<T = unknown>(name: MethodName, input: unknown = {}): Promise<T> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as T;
  }
  async function failure(name: MethodName, input: unknown) {
    const envelope = await dispatch(backend.handlers, name, input);
    if (envelope.ok) throw new Error(`${name} unexpectedly succeeded`);
    return envelope.error;
  }
  const userRows = (set: unknown) => findObjectMapping(set as MappingSet, 'User')!.objectMapping.attributeMappings;

  beforeAll(() => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
  });
  afterAll(async () => {
    await backend.close();
    dir.cleanup();
  });

  it('serves Entra’s default template while no revision is saved', async () => {
    const current = await call<{ revision: number | null; origin: string; label: string; mappingSet: unknown }>('mappings.get');
    expect(current).toMatchObject({ revision: null, origin: 'template', label: 'Entra default mappings' });
    expect(importMappingSet(current.mappingSet).ok).toBe(true);
    expect(userRows(current.mappingSet).find((r) => r.matchingPriority === 1)?.targetAttributeName).toBe('userName');
    expect(await call('mappings.listRevisions')).toEqual([]);
  });

  it('saves revisions in order and serves the latest as the current set', async () => {
    const { mappingSet } = await call<{ mappingSet: MappingSet }>('mappings.get');
    const first = await call<{ revision: number; label: string }>('mappings.save', { label: 'Start from defaults', mappingSet });
    expect(first).toMatchObject({ revision: 1, label: 'Start from defaults' });

    const edited = structuredClone(mappingSet);
    userRows(edited).splice(0, 1);
    const second = await call<{ revision: number }>('mappings.save', { label: '  Drop userName  ', mappingSet: edited });
    expect(second.revision).toBe(2);

    const current = await call<{ revision: number; label: string; origin: string; mappingSet: unknown }>('mappings.get');
    expect(current).toMatchObject({ revision: 2, label: 'Drop userName', origin: 'revision' });
    expect(userRows(current.mappingSet).length).toBe(userRows(mappingSet).length - 1);

    const list = await call<{ revision: number; label: string; createdAt: string }[]>('mappings.listRevisions');
    expect(list.map((r) => [r.revision, r.label])).toEqual([
      [1, 'Start from defaults'],
      [2, 'Drop userName'],
    ]);
    const one = await call<{ revision: number; mappingSet: unknown }>('mappings.getRevision', { revision: 1 });
    expect(userRows(one.mappingSet).length).toBe(userRows(mappingSet).length);
  });

  it('refuses to save a set that is not a synchronization schema, naming the problem', async () => {
    const error = await failure('mappings.save', { label: 'broken', mappingSet: { synchronizationRules: [{ objectMappings: [{ sourceObjectName: 'User' }] }] } });
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/^mappings\.save: mappingSet\.synchronizationRules\.0\.objectMappings\.0\.targetObjectName: /);
    expect((await call<unknown[]>('mappings.listRevisions')).length).toBe(2);
  });

  it('refuses a mapping set of the wrong shape at the API boundary, naming each bad field', async () => {
    const wrong = {
      synchronizationRules: [
        { objectMappings: [{ sourceObjectName: 'User', targetObjectName: 'urn:ietf:params:scim:schemas:core:2.0:User', attributeMappings: [{ targetAttributeName: 5, matchingPriority: 'first' }] }] },
      ],
    };
    const bad = 'mappingSet.synchronizationRules.0.objectMappings.0.attributeMappings.0';
    for (const [name, input] of [
      ['mappings.save', { label: 'wrong shape', mappingSet: wrong }],
      ['preview.run', { mappingSet: wrong }],
    ] as const) {
      const error = await failure(name, input);
      expect(error.code, name).toBe('invalid-input');
      expect(error.message, name).toContain(`${name}: ${bad}.targetAttributeName: Invalid input: expected string, received number`);
      expect(error.message, name).toContain(`${bad}.matchingPriority: Invalid input: expected number, received string`);
    }
    expect((await call<unknown[]>('mappings.listRevisions')).length).toBe(2);
  });

  it('keeps every part of a saved set the app does not model', async () => {
    const { mappingSet } = await call<{ mappingSet: MappingSet }>('mappings.get');
    const extended = structuredClone(mappingSet) as MappingSet & Record<string, unknown>;
    extended['@odata.context'] = 'https://graph.microsoft.com/beta/$metadata#synchronizationSchema';
    const row = userRows(extended)[0]!;
    row.source = { ...row.source!, vendorHint: { keep: ['me'] } };
    Object.assign(row, { futureGraphProperty: 42 });
    const saved = await call<{ revision: number }>('mappings.save', { label: 'With unmodelled parts', mappingSet: extended });
    const back = await call<{ mappingSet: unknown }>('mappings.getRevision', { revision: saved.revision });
    expect(back.mappingSet).toEqual(extended);
  });

  it('answers not-found for a revision that does not exist', async () => {
    const error = await failure('mappings.getRevision', { revision: 99 });
    expect(error).toMatchObject({ code: 'not-found', message: 'Mapping revision 99 does not exist in this project' });
  });

  it('offers Entra’s defaults and each vendor’s recommended set built from them', async () => {
    const templates = await call<{ id: string; vendorId: string | null; name: string; mappingSet: unknown }[]>('mappings.templates');
    expect(templates[0]).toMatchObject({ id: 'entra-default', vendorId: null });
    expect(templates.map((t) => t.id)).toEqual(expect.arrayContaining(['hithrive', 'haiilo', 'hector']));
    for (const template of templates) expect(importMappingSet(template.mappingSet).ok, template.id).toBe(true);
    // each template passes the API's mapping-set schema whole: nothing the app sends back is stripped
    for (const template of templates) expect(MappingSet.parse(template.mappingSet), template.id).toEqual(template.mappingSet);

    const hithrive = templates.find((t) => t.id === 'hithrive')!;
    const rows = userRows(hithrive.mappingSet);
    // HiThrive keys users on objectId → externalId at precedence 1 and drops the mailNickname row.
    expect(rows.filter((r) => r.targetAttributeName === 'externalId').map((r) => [r.source?.expression, r.matchingPriority])).toEqual([['[objectId]', 1]]);
    expect(rows.some((r) => r.targetAttributeName.endsWith(':hire_date') && r.source?.expression?.startsWith('FormatDateTime('))).toBe(true);
    expect(findObjectMapping(hithrive.mappingSet as MappingSet, 'Group')!.objectMapping.enabled).toBe(false);
    // The default template itself is untouched by the vendor templates built from it.
    expect(userRows(templates[0]!.mappingSet).some((r) => r.source?.expression === '[mailNickname]')).toBe(true);
  });

  it('lists source attributes with types, marking those the snapshot has values for', async () => {
    const { snapshotId, attributes } = await call<{ snapshotId: number; attributes: { name: string; objectType: string; type: string; inSnapshot: boolean; availability: string }[] }>('mappings.sourceSchema');
    expect(snapshotId).toBeGreaterThan(0);
    const byName = (name: string, objectType = 'User') => attributes.find((a) => a.name === name && a.objectType === objectType);
    expect(byName('userPrincipalName')).toMatchObject({ type: 'String', inSnapshot: true, availability: 'default' });
    expect(byName('employeeHireDate')).toMatchObject({ type: 'DateTime', availability: 'unverified' });
    expect(byName('members', 'Group')).toMatchObject({ type: 'Reference' });
    // The demo tenant carries directory extensions; they appear as tenant attributes.
    expect(attributes.some((a) => a.availability === 'tenant' && a.name.startsWith('extension_'))).toBe(true);
  });

  it('returns a few users’ source objects, searchable', async () => {
    const sample = await call<{ users: { id: string; userPrincipalName: string; source: Record<string, unknown> }[] }>('mappings.sampleSources', { limit: 3 });
    expect(sample.users).toHaveLength(3);
    expect(sample.users[0]!.source.objectId).toBe(sample.users[0]!.id);
    const zoe = await call<{ users: { displayName: string }[] }>('mappings.sampleSources', { search: 'zoë', limit: 5 });
    expect(zoe.users.length).toBeGreaterThan(0);
    expect(zoe.users.every((u) => u.displayName.toLowerCase().includes('zoë'))).toBe(true);
  });

  it('names the snapshot that does not exist', async () => {
    const error = await failure('mappings.sampleSources', { snapshotId: 999 });
    expect(error).toMatchObject({ code: 'not-found', message: 'Snapshot 999 does not exist in this project' });
  });
});
