import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_PROFILE_IDS,
  describeCitations,
  listBuiltInProfiles,
  loadBuiltInProfile,
  parseVendorProfile,
  parseVendorProfileText,
  type Citation,
  type VendorProfile,
} from '../../../shared/vendors/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/vendors/${name}`, import.meta.url));
const sharedDir = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const builtInJson = (id: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../resources/vendors/${id}.json`, import.meta.url)), 'utf8')) as Record<string, unknown>;

function issuesOf(json: unknown): string[] {
  const parsed = parseVendorProfile(json);
  if (parsed.ok) throw new Error('expected the profile to be refused');
  return parsed.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

function allCitations(value: unknown, out: Citation[] = []): Citation[] {
  if (Array.isArray(value)) value.forEach((item) => allCitations(item, out));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'cite' && Array.isArray(child)) out.push(...(child as Citation[]));
      else if (key !== 'sources') allCitations(child, out);
    }
  }
  return out;
}

describe('built-in vendor profiles', () => {
  it('lists the six profiles under the ids the CLI uses', () => {
    expect(listBuiltInProfiles().map((p) => p.id)).toEqual(['hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector', 'generic']);
    expect([...BUILT_IN_PROFILE_IDS]).not.toContain('haiilo-platform');
  });

  it('refuses an unknown profile id and names the built-in ones', () => {
    expect(() => loadBuiltInProfile('haiilo-advocacy')).toThrow(/Built-in profiles: hithrive, haiilo/);
  });

  it.each(BUILT_IN_PROFILE_IDS)('%s cites a declared source in every rule, with a line or a section', (id) => {
    const profile = loadBuiltInProfile(id);
    const cites = allCitations(profile);
    expect(cites.length).toBeGreaterThan(5);
    for (const cite of cites) {
      expect(Object.keys(profile.sources)).toContain(cite.ref);
      expect(cite.line !== undefined || cite.section !== undefined).toBe(true);
    }
  });

  it.for(BUILT_IN_PROFILE_IDS.filter((id) => id !== 'generic'))('%s cites only lines that exist in its vendor guide', (id, ctx) => {
    const profile = loadBuiltInProfile(id);
    const seed = Object.values(profile.sources).find((s) => s.file?.startsWith('seeds/'));
    expect(seed, 'every vendor profile names its seed guide').toBeDefined();
    const path = `${sharedDir}${seed!.file}`;
    // counted as skipped, not passed, when the guides are not beside this clone
    if (!existsSync(path)) ctx.skip(`${path} is absent (the ../shared reference folder is not next to this clone)`);
    const lineCount = readFileSync(path, 'utf8').split('\n').length;
    for (const cite of allCitations(profile)) {
      if (profile.sources[cite.ref] !== seed || cite.line === undefined) continue;
      const [first, last] = Array.isArray(cite.line) ? cite.line : [cite.line, cite.line];
      expect(first).toBeLessThanOrEqual(last);
      expect(last).toBeLessThanOrEqual(lineCount);
    }
  });

  it('describes citations grouped by source, without repeating a line', () => {
    const profile = loadBuiltInProfile('hithrive');
    const text = describeCitations(profile, [
      { ref: 'SEED-000', line: 13 },
      { ref: 'SEED-000', line: 35 },
      { ref: 'SEED-000', line: 13 },
      { ref: 'VS', section: '§6 item 3' },
    ]);
    expect(text).toBe('HiThrive SCIM guide (seed 000) lines 13, 35; vendors-and-sources.md §6 item 3');
  });
});

describe('importing a profile file', () => {
  it('accepts an admin-written profile and fills the defaults', () => {
    const parsed = parseVendorProfileText(readFileSync(fixture('custom-profile.json'), 'utf8'));
    expect(parsed.ok).toBe(true);
    const profile = (parsed as { ok: true; profile: VendorProfile }).profile;
    expect(profile.id).toBe('acme-hr');
    expect(profile.attributes[0]).toMatchObject({ target: 'userName', required: true, unique: true, custom: false, caseSensitive: true });
    expect(profile.recommendedMappings.remove).toEqual([]);
  });

  it('refuses a file that is not JSON', () => {
    expect(parseVendorProfileText('{ "id": ')).toEqual({ ok: false, issues: [{ path: '(root)', message: expect.stringMatching(/^not valid JSON/) }] });
  });

  it('names the path of a bad format', () => {
    const json = builtInJson('hithrive');
    (json.attributes as Record<string, unknown>[])[7]!.format = 'yyyy';
    expect(issuesOf(json)).toEqual([expect.stringMatching(/^attributes\[7\]\.format: /)]);
  });

  it('names the path of a rule without a citation', () => {
    const json = builtInJson('thrive');
    (json.attributes as Record<string, unknown>[])[1]!.cite = [];
    expect(issuesOf(json)).toEqual(['attributes[1].cite: every rule must cite at least one source line or section']);
  });

  it('names the path of a citation with neither line nor section', () => {
    const json = builtInJson('hector');
    (json.features as { groups: { cite: unknown[] } }).groups.cite[0] = { ref: 'SEED-004' };
    expect(issuesOf(json)).toEqual([expect.stringMatching(/^features\.groups\.cite\[0\]: a citation needs a "line"/)]);
  });

  it('names the path of a citation to an undeclared source', () => {
    const json = builtInJson('haiilo');
    ((json.recommendedMappings as { groups: { cite: Array<Record<string, unknown>> } }).groups.cite[0]!).ref = 'SEED-999';
    expect(issuesOf(json)).toEqual(['recommendedMappings.groups.cite[0].ref: unknown source "SEED-999"; declare it under "sources"']);
  });

  it('names the path of an unknown field, an invalid regex and a bad enum value', () => {
    const json = builtInJson('thrive');
    (json.attributes as Record<string, unknown>[])[0]!.filtrable = true;
    (json.unlistedTargets as Record<string, unknown>[])[1]!.match = '^urn:(';
    ((json.features as Record<string, Record<string, unknown>>).deprovision!).value = 'suspend';
    const issues = issuesOf(json);
    expect(issues).toHaveLength(3);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^attributes\[0\]: .*filtrable/),
        'unlistedTargets[1].match: not a valid regular expression',
        expect.stringMatching(/^features\.deprovision\.value: /),
      ]),
    );
  });

  it('names the path of a duplicate attribute', () => {
    const json = builtInJson('formsonfire');
    const attributes = json.attributes as Record<string, unknown>[];
    attributes.push({ ...attributes[0]!, target: 'NAME.givenName' });
    expect(issuesOf(json)).toEqual([`attributes[${attributes.length - 1}].target: "NAME.givenName" is already listed at attributes[0]`]);
  });

  it('names a missing section', () => {
    const json = builtInJson('formsonfire');
    delete json.connection;
    expect(issuesOf(json)).toEqual([expect.stringMatching(/^connection: .*expected object/)]);
  });

  it('refuses an id the CLI could not use', () => {
    const json = builtInJson('generic');
    json.id = 'Generic SCIM';
    expect(issuesOf(json)).toEqual(['id: use lower-case letters, digits and "-"']);
  });
});
