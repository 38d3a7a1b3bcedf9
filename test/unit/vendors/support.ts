import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { graphGroupToSource, graphUserToSource, type GraphGroup, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import type { AttributeMapping } from '../../../shared/mapping/schema.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import type { Finding, PreviewResult } from '../../../shared/preview/types.ts';
import { loadBuiltInProfile, vendorFindings, type VendorProfile } from '../../../shared/vendors/index.ts';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(root(path), 'utf8'));

export const demoGraphUsers = (readJson('resources/demo-tenant/users.json') as { value: GraphUser[] }).value;
export const demoGraphGroups = (readJson('resources/demo-tenant/groups.json') as { value: GraphGroup[] }).value;
export const demoUsers: SourceObject[] = demoGraphUsers.map((user) => graphUserToSource(user));
export const demoGroups: SourceObject[] = demoGraphGroups.map((group) => graphGroupToSource(group));

function load(path: string): MappingSet {
  const imported = importMappingSet(readJson(path));
  if (!imported.ok) throw new Error(`${path}: ${imported.issues.join('; ')}`);
  return imported.set;
}

/** Entra's default mappings for a non-gallery SCIM app (what an admin starts from). */
export const defaultSet = (): MappingSet => load('resources/templates/entra-scim-default.schema.json');
/** The configuration the vendor's guide asks for (test/fixtures/vendors/<id>.recommended.schema.json). */
export const recommendedSet = (id: string): MappingSet => load(`test/fixtures/vendors/${id}.recommended.schema.json`);

export interface Run {
  profile: VendorProfile;
  set: MappingSet;
  preview: PreviewResult;
  findings: Finding[];
}

export function validate(id: string | VendorProfile, set: MappingSet, options: { users?: SourceObject[]; previousUsers?: SourceObject[]; groups?: SourceObject[] } = {}): Run {
  const profile = typeof id === 'string' ? loadBuiltInProfile(id) : id;
  const users = options.users ?? demoUsers;
  const preview = previewSnapshot({ set, users, vendor: profile.id, ...(options.previousUsers ? { previousUsers: options.previousUsers } : {}) });
  const findings = vendorFindings(profile, set, preview, { users, groups: options.groups ?? demoGroups });
  return { profile, set, preview, findings };
}

export function userRows(set: MappingSet): AttributeMapping[] {
  const rule = set.synchronizationRules[0]!;
  return rule.objectMappings.find((m) => m.sourceObjectName === 'User')!.attributeMappings;
}

export function withUserRows(set: MappingSet, edit: (rows: AttributeMapping[]) => AttributeMapping[]): MappingSet {
  const copy = structuredClone(set);
  const objectMapping = copy.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
  objectMapping.attributeMappings = edit(objectMapping.attributeMappings);
  return copy;
}

export function row(target: string, expression: string, extra: Partial<AttributeMapping> = {}): AttributeMapping {
  const attribute = /^\[([^\]]+)\]$/.exec(expression);
  return {
    targetAttributeName: target,
    source: attribute ? { type: 'Attribute', name: attribute[1]!, expression, parameters: [] } : { type: 'Function', name: null, expression, parameters: [] },
    defaultValue: null,
    matchingPriority: 0,
    flowType: 'Always',
    flowBehavior: 'FlowWhenChanged',
    ...extra,
  };
}

export const errors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');
export const withCode = (findings: readonly Finding[], code: string, attribute?: string) =>
  findings.filter((f) => f.code === code && (attribute === undefined || f.attribute?.toLowerCase() === attribute.toLowerCase()));
/** A compact signature of mapping-level findings for assertions: "CODE attribute". */
export const signature = (f: Finding) => `${f.code} ${f.attribute ?? ''}`.trim();

export function upnOf(run: Run, userId: string | undefined): string | null {
  return run.preview.users.find((u) => u.id === userId)?.userPrincipalName ?? null;
}
