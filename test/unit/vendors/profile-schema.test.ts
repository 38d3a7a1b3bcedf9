import { readFileSync } from 'node:fs';
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
const PUBLIC_SOURCES = JSON.parse(readFileSync(fixture('public-sources.json'), 'utf8')) as { documents: Record<string, { url: string; sections: string[] }> };
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

  it.each(BUILT_IN_PROFILE_IDS.filter((id) => id !== 'generic'))('%s cites only sections that exist in its vendor guide', (id) => {
    // The guides' titles and headings are kept in the project (test/fixtures/vendors/public-sources.json), so this
    // check runs on every clone, with or without the reference folder beside it.
    const profile = loadBuiltInProfile(id);
    const guide = Object.values(profile.sources).find((s) => PUBLIC_SOURCES.documents[s.title] !== undefined && !/^Microsoft /.test(s.title));
    expect(guide, 'every vendor profile names its vendor guide').toBeDefined();
    expect(Object.values(profile.sources).every((s) => s.file === undefined), 'built-in sources name no local file').toBe(true);
    for (const cite of allCitations(profile)) {
      expect(cite.line, 'built-in profiles cite sections of published documents, not lines of a local copy').toBeUndefined();
      const title = profile.sources[cite.ref]!.title;
      if (/^RFC \d+/.test(title)) {
        expect(cite.section).toMatch(/^§\d+(\.\d+)*$/);
        continue;
      }
      expect(PUBLIC_SOURCES.documents[title]?.sections ?? [], `${id}: ${title}`).toContain(cite.section);
    }
  });

  it('describes citations grouped by source, without repeating a line', () => {
    // An admin's own profile may cite lines of their notes; the built-in ones cite published sections.
    const profile = { sources: { 'SEED-000': { title: 'HiThrive SCIM guide (seed 000)' }, VS: { title: 'vendors-and-sources.md' } } };
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
    (json.features as { groups: { cite: unknown[] } }).groups.cite[0] = { ref: 'HECTOR-GUIDE' };
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
