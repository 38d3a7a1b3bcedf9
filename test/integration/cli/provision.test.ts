import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/temp.ts';

// The CLI as an admin runs it: the package's bin through node, no build step (the preview's JSON is a few MB).
function cli(args: string[]) {
  const result = spawnSync(process.execPath, ['bin/scim-planner.mjs', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const USERS = 'resources/demo-tenant/users.json';
const GROUPS = 'resources/demo-tenant/groups.json';
const MAPPINGS = 'resources/templates/entra-scim-default.schema.json';
// Nothing listens here: a dry run sends nothing.
const TARGET = ['--target', 'http://127.0.0.1:9/scim', '--token', 't'];

const dir = tempDir('provision-cli-groups-');
afterAll(() => dir.cleanup());

/** Entra's default mappings with the group mapping scoped to the groups whose displayName matches `pattern`. */
function mappingsWithGroupScope(pattern: string): string {
  const schema = JSON.parse(readFileSync(MAPPINGS, 'utf8'));
  for (const rule of schema.synchronizationRules) {
    for (const mapping of rule.objectMappings) {
      if (String(mapping.sourceObjectName).toLowerCase() !== 'group') continue;
      mapping.scope = { groups: [{ name: 'Groups in scope', clauses: [{ operatorName: 'REGEX MATCH', sourceOperandName: 'displayName', targetOperand: { values: [pattern] } }] }] };
    }
  }
  const path = join(dir.path, `scoped-${pattern.length}.json`);
  writeFileSync(path, JSON.stringify(schema));
  return path;
}

interface PlanJson {
  objects: { objectType: 'User' | 'Group'; sourceId: string; displayName: string | null; action: string }[];
  summary: { byAction: Record<string, number>; users: { count: number }; groups: { count: number; byAction: Record<string, number> } };
}

describe('scim-planner provision --dry-run --format json', () => {
  it('prints every user and group with the preview’s actions, group by group as scim-planner preview decides them', () => {
    const mappings = mappingsWithGroupScope('^(hector|Sales)');
    const planned = cli(['provision', ...TARGET, '--mappings', mappings, '--users', USERS, '--groups', GROUPS, '--dry-run', '--format', 'json']);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as PlanJson;
    for (const object of plan.objects) expect(Object.keys(object)).toEqual(expect.arrayContaining(['objectType', 'sourceId', 'displayName', 'action']));
    expect(plan.objects.find((o) => o.displayName === 'Sales')).toMatchObject({ objectType: 'Group', action: 'create' });
    expect(plan.summary.groups).toMatchObject({ count: 17, byAction: { create: 5, skip: 12 } });

    const previewed = cli(['preview', '--mappings', mappings, '--users', USERS, '--groups', GROUPS]);
    expect(previewed.code).toBe(0);
    const preview = JSON.parse(previewed.stdout) as { users: { id: string; action: string }[]; groups: { groups: { id: string; action: string }[] } };
    const actionsOf = (type: 'User' | 'Group') => new Map(plan.objects.filter((o) => o.objectType === type).map((o) => [o.sourceId, o.action]));
    expect(actionsOf('Group')).toEqual(new Map(preview.groups.groups.map((g) => [g.id, g.action])));
    expect(actionsOf('User')).toEqual(new Map(preview.users.map((u) => [u.id, u.action])));
  });

  it('with the group mapping scoped to no group, every group is skipped', () => {
    const mappings = mappingsWithGroupScope('^No such group$');
    const { code, stdout } = cli(['provision', ...TARGET, '--mappings', mappings, '--users', USERS, '--groups', GROUPS, '--dry-run', '--format', 'json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as PlanJson;
    expect(plan.summary.groups).toMatchObject({ count: 17, byAction: { create: 0, skip: 17 } });
    expect(plan.summary.byAction.create).toBe(191);
  });

  it('without --groups no group is planned, as the preview shows none', () => {
    const { code, stdout } = cli(['provision', ...TARGET, '--mappings', MAPPINGS, '--users', USERS, '--dry-run', '--format', 'json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as PlanJson;
    expect(plan.objects.filter((o) => o.objectType === 'Group')).toEqual([]);
    expect(plan.summary.users.count).toBe(200);
    expect(plan.summary.groups.count).toBe(0);
  });

  it('exits 2 naming the groups file when it is not Graph groups JSON, or --format comes without --dry-run', () => {
    const notJson = join(dir.path, 'groups.txt');
    writeFileSync(notJson, 'displayName\nSales\n');
    const broken = cli(['provision', ...TARGET, '--mappings', MAPPINGS, '--users', USERS, '--groups', notJson, '--dry-run']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`The groups file "${notJson}" is not valid JSON`);

    const notGroups = join(dir.path, 'groups.json');
    writeFileSync(notGroups, JSON.stringify({ value: [{ displayName: 'Sales' }] }));
    const wrong = cli(['provision', ...TARGET, '--mappings', MAPPINGS, '--users', USERS, '--groups', notGroups, '--dry-run']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`The groups file "${notGroups}": entry 0 is not a Graph group (it has no "id")`);

    const format = cli(['provision', ...TARGET, '--mappings', MAPPINGS, '--users', USERS, '--format', 'json']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format sets how --dry-run prints the plan');
  });
});
