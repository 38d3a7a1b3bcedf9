import { describe, expect, it } from 'vitest';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import type { Finding } from '../../../shared/preview/types.ts';
import {
  listBuiltInProfiles,
  loadBuiltInProfile,
  orderVendorFindings,
  VendorUserChecks,
  VendorUserMerge,
  vendorFindings,
  vendorMappingFindings,
  type VendorProfile,
} from '../../../shared/vendors/index.ts';
import { vendorScenarios } from './scenarios.ts';
import { defaultSet, demoGraphUsers, demoGroups } from './support.ts';

/**
 * The per-user rules split over chunks, as the preview workers run them: each chunk checks its users in its own
 * order (a worker reads its key range in key order), the partials merge in any order, and the result must be
 * exactly the one-shot `vendorFindings` over the snapshot in snapshot order.
 */
function splitFindings(profile: VendorProfile, set: MappingSet, users: SourceObject[], groups: SourceObject[], chunks: number, previousUsers?: SourceObject[]): Finding[] {
  const preview = previewSnapshot({ set, users, vendor: profile.id, ...(previousUsers ? { previousUsers } : {}) });
  const byId = new Map(users.map((user) => [String(user.objectId), user]));
  // Interleaved, so no chunk is a contiguous slice; each chunk walks its users by id, not by snapshot place.
  const parts = Array.from({ length: chunks }, () => [] as number[]);
  preview.users.forEach((_user, ordinal) => parts[(ordinal * 7) % chunks]!.push(ordinal));
  const perUser = new Map<number, Finding[]>();
  const checks = parts.map((ordinals) => {
    const chunk = new VendorUserChecks(profile, set, { guests: true });
    const inKeyOrder = [...ordinals].sort((a, b) => (preview.users[a]!.id < preview.users[b]!.id ? -1 : 1));
    for (const ordinal of inKeyOrder) {
      const user = preview.users[ordinal]!;
      perUser.set(ordinal, chunk.add(user, byId.get(user.id), ordinal));
    }
    return chunk;
  });
  const merge = new VendorUserMerge(profile);
  for (const chunk of [...checks].reverse()) merge.add(chunk.partial());
  const candidates = merge.candidates();
  for (const chunk of checks) merge.addSends(chunk.sendsOf(candidates));
  const merged = merge.finish();
  const mapping = vendorMappingFindings(profile, set, { dialect: preview.dialect, groups, managerOutOfScope: merged.managerOutOfScope });
  const inSnapshotOrder = [...perUser].sort((a, b) => a[0] - b[0]).flatMap(([, findings]) => findings);
  return orderVendorFindings(mapping, inSnapshotOrder, merged);
}

function oneShot(profile: VendorProfile, set: MappingSet, users: SourceObject[], groups: SourceObject[], previousUsers?: SourceObject[]): Finding[] {
  const preview = previewSnapshot({ set, users, vendor: profile.id, ...(previousUsers ? { previousUsers } : {}) });
  return vendorFindings(profile, set, preview, { users, groups });
}

describe('the vendor rules split over chunks', () => {
  for (const { id } of listBuiltInProfiles()) {
    it(`${id}: every scenario gives exactly the one-shot findings, in the same order`, () => {
      const profile = loadBuiltInProfile(id);
      for (const scenario of vendorScenarios(id)) {
        const expected = oneShot(profile, scenario.set, scenario.users, demoGroups, scenario.previousUsers);
        for (const chunks of [2, 3]) {
          expect(splitFindings(profile, scenario.set, scenario.users, demoGroups, chunks, scenario.previousUsers), `${scenario.name}, ${chunks} chunks`).toEqual(expected);
        }
      }
    });
  }

  it('a userName sent by two users in different chunks is a duplicate for both, named in snapshot order', () => {
    const profile = loadBuiltInProfile('generic');
    const [first, second] = demoGraphUsers.filter((u) => u.userType === 'Member' && u.accountEnabled !== false);
    // Same value but for case: SCIM compares userName ignoring case (RFC 7643 §4.1.1).
    const users = demoGraphUsers.map((u) => graphUserToSource(u.id === second!.id ? { ...u, userPrincipalName: first!.userPrincipalName!.toUpperCase() } : u));
    const split = splitFindings(profile, defaultSet(), users, demoGroups, 2);
    const duplicates = split.filter((f) => f.code === 'VENDOR_DUPLICATE_VALUE');
    expect(duplicates.filter((f) => f.userId).map((f) => f.userId)).toEqual([first!.id, second!.id]);
    expect(duplicates.find((f) => !f.userId)!.message).toContain(`"${first!.userPrincipalName!.toLowerCase()}" (${first!.userPrincipalName}, ${first!.userPrincipalName!.toUpperCase()})`);
    expect(split).toEqual(oneShot(profile, defaultSet(), users, demoGroups));
  });

  it('a chunk hands back hashes, not values, and gives its sends only of the hashes asked for', () => {
    const profile = loadBuiltInProfile('generic');
    const preview = previewSnapshot({ set: defaultSet(), users: demoGraphUsers.map((u) => graphUserToSource(u)), vendor: 'generic' });
    const checks = new VendorUserChecks(profile, defaultSet(), { guests: false });
    preview.users.forEach((user, ordinal) => checks.add(user, undefined, ordinal));
    const partial = checks.partial();
    const sent = preview.users.filter((u) => u.action === 'create').length;
    expect(partial.uniqueHashes).toHaveLength(sent);
    expect(partial.collidingHashes).toEqual([]);
    expect(JSON.stringify(partial)).not.toContain('@');
    expect(checks.sendsOf(new Set([partial.uniqueHashes[0]!]))).toHaveLength(1);
    expect(checks.sendsOf(new Set())).toEqual([]);
  });

  it('a hash two different values share (a false candidate) gives no duplicate', () => {
    const merge = new VendorUserMerge(loadBuiltInProfile('generic'));
    merge.add({ managerOutOfScope: 0, aggregates: [], uniqueTargets: [{ target: 'userName', at: 0 }], uniqueHashes: Uint32Array.of(7), collidingHashes: [] });
    merge.add({ managerOutOfScope: 0, aggregates: [], uniqueTargets: [{ target: 'userName', at: 1 }], uniqueHashes: Uint32Array.of(7), collidingHashes: [] });
    expect([...merge.candidates()]).toEqual([7]);
    merge.addSends([{ target: 'userName', value: 'a@contoso.com', users: [{ id: 'a', label: 'a@contoso.com', at: 0 }] }]);
    merge.addSends([{ target: 'userName', value: 'b@contoso.com', users: [{ id: 'b', label: 'b@contoso.com', at: 1 }] }]);
    expect(merge.finish()).toEqual({ managerOutOfScope: 0, aggregates: [], duplicates: [] });
  });
});
