import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupSourceAttributes, userSourceAttributes } from '../../../shared/directory/source-schema.ts';
import { UNVERIFIED_RULES } from '../../../shared/expressions/index.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { renderMarkdown } from '../../../shared/reports/index.ts';
import { buildReport } from '../../../electron/backend/reports/build.ts';
import { SPEC } from '../../../shared/vendors/rule-support.ts';
import { listBuiltInProfiles, vendorFindings } from '../../../shared/vendors/index.ts';
import { vendorScenarios } from './scenarios.ts';
import { demoGroups, demoUsers, recommendedSet } from './support.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const PUBLIC = JSON.parse(read('test/fixtures/vendors/public-sources.json')) as { documents: Record<string, { sections: string[] }> };

/**
 * Issue 20 item 5: findings and reports go to a vendor's support desk, so every citation the app can show names a
 * public document (a vendor's published guide, a Microsoft Learn article, an RFC), never a file only this project's
 * authors have: the reference folder's seeds and spec notes, their file names, or line numbers in them.
 */
const PRIVATE_CITATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bseed \d{3}\b/i, 'a seed guide number'],
  [/\bseeds?\/\d{3}_/i, 'a seed file'],
  [/\.\.\/shared\b/, 'a ../shared path'],
  [/\b(entra-scim|vendors-and-sources|expressions)\.md\b/, 'a spec file name'],
  [/Source: [^\n]*\blines? \d+/, 'a line number of a local file'],
];

/** Each private citation in the text, with a few words around it so a failure says where it is. */
function privateCitationsIn(text: string): string[] {
  return PRIVATE_CITATIONS.flatMap(([pattern, what]) => {
    const match = pattern.exec(text);
    return match ? [`${what}: …${text.slice(Math.max(0, match.index - 40), match.index + match[0].length + 20)}…`] : [];
  });
}

function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsOf(item, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => stringsOf(item, out));
  return out;
}

/** 'Microsoft Learn "Title", "A", "B"' → the document and its quoted places; RFCs and words stay as they are. */
function citedPlaces(source: string): Array<{ document: string; places: string[] }> {
  return source.split('; ').flatMap((part) => {
    const quoted = /^([^"]*"[^"]*")(?:, (.+))?$/.exec(part);
    if (!quoted) return [];
    const places = [...(quoted[2] ?? '').matchAll(/"([^"]*)"|(introduction|all sections)/g)].map((m) => m[1] ?? m[2]!);
    return [{ document: quoted[1]!, places }];
  });
}

function expectPublic(where: string, texts: readonly string[]): void {
  for (const text of texts) expect(privateCitationsIn(text), `${where}: ${text.slice(0, 200)}`).toEqual([]);
}

function expectKnownDocuments(where: string, message: string): void {
  const source = /Source: (.*)\.$/.exec(message)?.[1];
  if (!source) return;
  for (const { document, places } of citedPlaces(source)) {
    const known = PUBLIC.documents[document];
    expect(known, `${where}: unknown document ${document}`).toBeDefined();
    for (const place of places) expect(known!.sections, `${where}: ${document}`).toContain(place);
  }
}

describe('every citation the app can show names a public source', () => {
  it('recognises the private citations it guards against', () => {
    expect(privateCitationsIn('Source: HiThrive SCIM guide (seed 000) line 57.')).toHaveLength(2);
    expect(privateCitationsIn('Source: vendors-and-sources.md §2.1 Ambiguities, §6 item 5; entra-scim.md §1.6 step 9.')).toHaveLength(1);
    expect(privateCitationsIn('see [the spec](../shared/spec/entra-scim.md)')).toHaveLength(2);
    expect(privateCitationsIn('Source: Microsoft Learn "How Application Provisioning works in Microsoft Entra ID", "Deprovisioning".')).toEqual([]);
  });

  it('the built-in vendor profiles: every title, note and section', () => {
    for (const profile of listBuiltInProfiles()) expectPublic(profile.id, stringsOf(profile));
  });

  it('the cross-vendor rules, the expression engine’s unverified rules and the source attribute notes', () => {
    expectPublic('SPEC', Object.values(SPEC));
    for (const place of Object.values(SPEC)) expectKnownDocuments('SPEC', `Source: ${place}.`);
    expectPublic('UNVERIFIED_RULES', Object.values(UNVERIFIED_RULES).map((rule) => `Source: ${rule.source}`));
    expectPublic('source attributes', stringsOf([...userSourceAttributes, ...groupSourceAttributes]));
  });

  it('every finding over the demo scenarios, with each cited document and heading known', { timeout: 120_000 }, () => {
    let checked = 0;
    for (const profile of listBuiltInProfiles()) {
      for (const scenario of vendorScenarios(profile.id)) {
        const preview = previewSnapshot({ set: scenario.set, users: scenario.users, vendor: profile.id, ...(scenario.previousUsers ? { previousUsers: scenario.previousUsers } : {}) });
        const findings = [...preview.findings, ...preview.users.flatMap((u) => u.findings), ...vendorFindings(profile, scenario.set, preview, { users: scenario.users, groups: demoGroups })];
        for (const finding of findings) {
          expectPublic(`${profile.id} ${finding.code}`, [finding.message, finding.fix ?? '']);
          expectKnownDocuments(`${profile.id} ${finding.code}`, finding.message);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('a report for the vendor’s support desk', { timeout: 60_000 }, async () => {
    for (const profile of listBuiltInProfiles().filter((p) => p.id !== 'generic')) {
      const report = await buildReport({ projectName: 'Contoso', tenantName: null, mappingLabel: 'recommended', set: recommendedSet(profile.id), users: demoUsers, groups: demoGroups, profile });
      expectPublic(`${profile.id} report`, [renderMarkdown(report)]);
    }
  });

  it('the README and docs link to nothing outside the project', () => {
    const docs = readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
    for (const path of ['README.md', ...docs]) expectPublic(path, read(path).split('\n'));
  });
});

// Keeps the helper honest about where it found the problem (a readable excerpt, not the whole text).
describe('privateCitationsIn', () => {
  it('quotes the text around the problem', () => {
    expect(privateCitationsIn('… long text … Source: HiThrive SCIM guide (seed 000) line 57.')[0]).toBe('a seed guide number: …ong text … Source: HiThrive SCIM guide (seed 000) line 57.…');
  });
});
