import { describe, expect, it } from 'vitest';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { mergeSpecPlaces } from '../../../shared/vendors/rule-support.ts';
import { listBuiltInProfiles, loadBuiltInProfile, vendorFindings } from '../../../shared/vendors/index.ts';
import { vendorScenarios } from './scenarios.ts';
import { demoGroups } from './support.ts';

describe('finding sources name each spec document once', () => {
  it('gathers the places of one document under its first mention, without repeats', () => {
    expect(
      mergeSpecPlaces([
        'vendors-and-sources.md §2.1 Ambiguities',
        'entra-scim.md §1.6 step 9 and §6 item 26',
        'vendors-and-sources.md §6 item 5',
        'HiThrive SCIM guide (seed 000) lines 13, 15',
        'entra-scim.md §1.6 step 9 and §6 item 26',
      ]),
    ).toEqual([
      'vendors-and-sources.md §2.1 Ambiguities, §6 item 5',
      'entra-scim.md §1.6 step 9 and §6 item 26',
      'HiThrive SCIM guide (seed 000) lines 13, 15',
    ]);
  });

  it('holds for every finding of every built-in profile over the demo scenarios', () => {
    let checked = 0;
    for (const { id } of listBuiltInProfiles()) {
      const profile = loadBuiltInProfile(id);
      for (const scenario of vendorScenarios(id)) {
        const preview = previewSnapshot({ set: scenario.set, users: scenario.users, vendor: id, ...(scenario.previousUsers ? { previousUsers: scenario.previousUsers } : {}) });
        for (const finding of vendorFindings(profile, scenario.set, preview, { users: scenario.users, groups: demoGroups })) {
          const source = /Source: (.*)\.$/.exec(finding.message)?.[1];
          if (!source) continue;
          const documents = source.split('; ').map((part) => /^(\S+\.md) /.exec(part)?.[1]).filter(Boolean);
          expect(new Set(documents).size, `${id} ${finding.code}: ${source}`).toBe(documents.length);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
