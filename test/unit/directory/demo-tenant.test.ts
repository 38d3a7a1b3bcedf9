import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_DIR, generateDemoTenant, writeDemoTenant } from '../../../scripts/generate-demo-tenant.ts';
import { DEMO_COST_CENTER_EXTENSION } from '../../../scripts/demo-tenant/generate.ts';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';

const tenant = generateDemoTenant();
const users = tenant.users.value;
const temp = mkdtempSync(join(tmpdir(), 'demo-tenant-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('demo tenant generator', () => {
  it('regenerates the committed resources/demo-tenant files byte for byte', () => {
    writeDemoTenant(temp);
    const committedDir = fileURLToPath(new URL('../../../resources/demo-tenant', import.meta.url));
    expect(DEMO_TENANT_DIR).toBe(committedDir);
    const generated = readdirSync(temp)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(generated).toEqual([
      'app-role-assigned-to.json',
      'extension-properties.json',
      'groups.json',
      'service-principals.json',
      'users.json',
    ]);
    for (const file of generated) {
      expect(
        readFileSync(join(temp, file)).equals(readFileSync(join(committedDir, file))),
        `${file} differs; run npm run demo-tenant`,
      ).toBe(true);
    }
  });

  it('writes a Graph list response with @odata.context naming the $select and the manager expand', () => {
    expect(tenant.users['@odata.context']).toMatch(
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/\$metadata#users\(.*employeeHireDate.*manager\(id,displayName,userPrincipalName,mail\)\)$/,
    );
    expect(users.length).toBeGreaterThanOrEqual(150);
    expect(users.length).toBeLessThanOrEqual(250);
  });

  it('gives every user a unique id and UPN', () => {
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.userPrincipalName)).size).toBe(users.length);
  });

  it('contains guests with #EXT# UPNs, users without mail, disabled accounts and duplicate mail', () => {
    expect(users.filter((u) => u.userPrincipalName!.includes('#EXT#')).length).toBeGreaterThanOrEqual(3);
    expect(users.filter((u) => u.mail === null).length).toBeGreaterThanOrEqual(3);
    expect(users.filter((u) => u.accountEnabled === false).length).toBeGreaterThanOrEqual(3);
    const mails = users.map((u) => u.mail).filter((m): m is string => typeof m === 'string');
    expect(new Set(mails).size).toBeLessThan(mails.length);
  });

  it('contains diacritics and non-Latin names', () => {
    const names = users.map((u) => u.displayName);
    for (const name of ['Zoë Lefèvre', 'José Núñez', 'Łukasz Wiśniewski', '李娜', 'Владимир Петров', 'João Conceição'])
      expect(names).toContain(name);
    expect(names.some((n) => n!.startsWith('Ã'))).toBe(true);
  });

  it('has manager chains at least four deep whose managers resolve to users in the tenant', () => {
    const byId = new Map(users.map((u) => [u.id, u]));
    let deepest = 0;
    for (const u of users) {
      let depth = 0;
      for (let m: GraphUser | undefined = u; m?.manager; m = byId.get(m.manager.id)) {
        expect(byId.has(m.manager.id)).toBe(true);
        depth++;
      }
      deepest = Math.max(deepest, depth);
    }
    expect(deepest).toBeGreaterThanOrEqual(3);
  });

  it('has pilot users whose manager is outside the group assigned to the app', () => {
    const assigned = new Set(
      tenant.appRoleAssignedTo.value.filter((a) => a.principalType === 'Group').map((a) => a.principalId),
    );
    const pilot = tenant.groups.value.find((g) => g.displayName === 'HiThrive Pilot')!;
    expect(assigned.has(pilot.id)).toBe(true);
    const pilotIds = new Set(pilot.members!.map((m) => m.id));
    expect(users.some((u) => pilotIds.has(u.id) && u.manager && !pilotIds.has(u.manager.id))).toBe(true);
  });

  it('fills extensionAttribute1..15, the costCenter directory extension, hire dates, employee ids and types', () => {
    expect(
      users.some((u) => Object.values(u.onPremisesExtensionAttributes ?? {}).every((v) => typeof v === 'string')),
    ).toBe(true);
    expect(users.filter((u) => typeof u[DEMO_COST_CENTER_EXTENSION] === 'string').length).toBeGreaterThan(50);
    expect(users.filter((u) => typeof u.employeeHireDate === 'string').length).toBeGreaterThan(50);
    expect(users.filter((u) => typeof u.employeeId === 'string').length).toBeGreaterThan(50);
    expect(new Set(users.map((u) => u.employeeType)).size).toBeGreaterThanOrEqual(4);
    expect(users.some((u) => (u.jobTitle?.length ?? 0) > 64)).toBe(true);
    expect(users.some((u) => (u.businessPhones?.length ?? 0) > 1 && u.mobilePhone && u.faxNumber)).toBe(true);
  });

  it('has at least ten groups, one whose name contains ";", and one nested group member', () => {
    const groups = tenant.groups.value;
    expect(groups.length).toBeGreaterThanOrEqual(10);
    expect(groups.some((g) => g.displayName!.includes(';'))).toBe(true);
    expect(groups.some((g) => g.members!.some((m) => m['@odata.type'] === '#microsoft.graph.group'))).toBe(true);
    const ids = new Set([...users.map((u) => u.id), ...groups.map((g) => g.id)]);
    for (const g of groups) for (const m of g.members!) expect(ids.has(m.id)).toBe(true);
  });

  it('converts every demo user to a source object, guests losing #EXT#', () => {
    for (const u of users) {
      const source = graphUserToSource(u);
      expect(source.objectId).toBe(u.id);
      expect(String(source.userPrincipalName)).not.toContain('#EXT#');
    }
  });

  it('scales to many users with the same hand-written cases first', () => {
    const big = generateDemoTenant(2000);
    expect(big.users.value).toHaveLength(2000);
    expect(big.users.value.slice(0, 20)).toEqual(users.slice(0, 20));
  });
});
