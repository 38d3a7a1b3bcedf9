import { describe, expect, it } from 'vitest';
import { generateDemoTenant } from '../../../scripts/demo-tenant/generate.ts';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { diffSnapshots, sameSourceValue } from '../../../shared/directory/snapshot-diff.ts';

const users = generateDemoTenant().users.value;
const entries = (list: typeof users) => list.map((u) => ({ id: u.id, source: graphUserToSource(u) }));

describe('diffSnapshots', () => {
  it('finds added, removed and changed users with the changed source attributes', () => {
    const before = users.slice(0, 50);
    const after = users
      .slice(1, 51)
      .map((u, i) => (i === 3 ? { ...u, department: 'Legal', mobilePhone: null, accountEnabled: false } : u));
    const diff = diffSnapshots(entries(before), entries(after));
    expect(diff.added).toEqual([users[50]!.id]);
    expect(diff.removed).toEqual([users[0]!.id]);
    expect(diff.changed).toHaveLength(1);
    const changed = diff.changed[0]!;
    expect(changed.id).toBe(users[4]!.id);
    const byName = Object.fromEntries(changed.changes.map((c) => [c.attribute, c]));
    expect(byName.department).toEqual({ attribute: 'department', before: users[4]!.department, after: 'Legal' });
    expect(byName.accountEnabled!.after).toBe(false);
    expect(byName.IsSoftDeleted).toEqual({ attribute: 'IsSoftDeleted', before: false, after: true });
    expect(diff.unchanged).toBe(48);
  });

  it('treats absent and null as the same value, and multi-valued attributes as sets', () => {
    expect(
      diffSnapshots(
        [{ id: 'a', source: { mail: null, proxyAddresses: ['SMTP:x', 'smtp:y'] } }],
        [{ id: 'a', source: { proxyAddresses: ['smtp:y', 'SMTP:x'] } }],
      ).changed,
    ).toEqual([]);
    expect(sameSourceValue(['a'], ['a', 'a'])).toBe(false);
  });
});
