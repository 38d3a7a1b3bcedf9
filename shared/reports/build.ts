import type { CheckResult } from '../api/endpoint-check.ts';
import type { SourceObject } from '../directory/source-object.ts';
import { isCreateOnly, mappingTypeOf, matchingPriorityOf, objectActionsOf, sourceExpressionOf, type MappingSet, type ScimDialect } from '../mapping/model.ts';
import { previewSnapshot } from '../preview/run.ts';
import { severityTotals } from '../preview/summary.ts';
import type { Finding, PreviewResult, UserPreview } from '../preview/types.ts';
import { vendorFindings, type VendorProfile } from '../vendors/index.ts';
import { customAttributesToAdd, differencesFromDefaults, differencesFromVendor, rowStatusAgainstDefault } from './compare.ts';
import { endpointCheckReport } from './endpoint-check.ts';
import { explainMapping, prettyExpression } from './explain.ts';
import { microsoftCheckReport, type MicrosoftCheckInput } from './microsoft-check.ts';
import {
  DEFAULT_SAMPLE_COUNT,
  REPORT_SECTIONS,
  type CoverageReport,
  type FindingReport,
  type ObjectMappingReport,
  type ProvisioningReport,
  type Report,
  type ReportOptions,
  type SampleRequest,
  type SampleUserReport,
} from './model.ts';
import { forecastOfPreview } from '../go-live/preview-forecast.ts';
import { Redactor } from './redact.ts';
import { vendorTicket } from './vendor-ticket.ts';

export interface ReportInput {
  projectName: string;
  tenantName: string | null;
  /** e.g. "revision 4 — HiThrive fixes" or "Entra default mappings" */
  mappingLabel: string;
  set: MappingSet;
  users: readonly SourceObject[];
  groups?: readonly SourceObject[];
  profile: VendorProfile;
  /** overrides the dialect the tenant URL selects */
  dialect?: ScimDialect;
  /** a preview already computed for exactly these inputs (the app keeps one); computed when absent */
  preview?: PreviewResult;
  provisioning?: ProvisioningReport | null;
  /** the project's last endpoint check run (issue 16) */
  endpointCheck?: CheckResult | null;
  /** the reported revision's checks against Microsoft (a workspace keeps them); absent for a report made from files */
  microsoftCheck?: MicrosoftCheckInput;
  appVersion?: string | null;
  options?: ReportOptions;
}

const EXAMPLES_PER_FINDING = 3;
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function objectMappingsOf(set: MappingSet): ObjectMappingReport[] {
  return set.synchronizationRules.flatMap((rule) =>
    rule.objectMappings.map((objectMapping) => {
      const actions = objectActionsOf(objectMapping);
      return {
        name: objectMapping.name ?? `${objectMapping.sourceObjectName} → ${objectMapping.targetObjectName}`,
        sourceObject: objectMapping.sourceObjectName,
        targetObject: objectMapping.targetObjectName,
        enabled: objectMapping.enabled !== false,
        actions: [actions.create && 'Create', actions.update && 'Update', actions.delete && 'Delete'].filter((a): a is string => Boolean(a)),
        rows: objectMapping.attributeMappings.map((mapping) => {
          const source = sourceExpressionOf(mapping);
          return {
            target: mapping.targetAttributeName,
            mappingType: mappingTypeOf(mapping),
            source,
            pretty: source === null ? null : prettyExpression(source),
            explanation: explainMapping(mapping),
            defaultValue: mapping.defaultValue ?? null,
            matchingPrecedence: matchingPriorityOf(mapping),
            apply: isCreateOnly(mapping) ? 'Only during object creation' : 'Always',
            vsDefault: rowStatusAgainstDefault(objectMapping, mapping),
          };
        }),
      };
    }),
  );
}

/**
 * Findings grouped by code, attribute and severity, with how many users each reaches and a bounded sample of them
 * (EXAMPLES_PER_FINDING). Read in one pass over the lists, so no list of every finding is built.
 */
function groupFindings(lists: Iterable<readonly Finding[]>): { severity: Finding['severity']; code: string; attribute: string | null; count: number; message: string; fix: string | null; exampleIds: string[] }[] {
  const groups = new Map<string, { finding: Finding; users: Set<string>; mappingLevel: boolean }>();
  for (const list of lists) {
    for (const finding of list) {
      const key = `${finding.severity}\u0000${finding.code}\u0000${(finding.attribute ?? '').toLowerCase()}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { finding, users: new Set(), mappingLevel: false }));
      if (finding.userId === undefined) {
        // the mapping-level message describes the whole group better than one user's
        if (!group.mappingLevel) group.finding = finding;
        group.mappingLevel = true;
      } else group.users.add(finding.userId);
    }
  }
  return [...groups.values()]
    .map(({ finding, users }) => ({
      severity: finding.severity,
      code: finding.code,
      attribute: finding.attribute ?? null,
      count: Math.max(users.size, 1),
      message: finding.message,
      fix: finding.fix ?? null,
      exampleIds: [...users].slice(0, EXAMPLES_PER_FINDING),
    }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count || a.code.localeCompare(b.code));
}

/** The userPrincipalName of each of `ids` (only the few examples a report shows, not a map of every user). */
function upnsOf(preview: PreviewResult, ids: ReadonlySet<string>): Map<string, string | null> {
  const upns = new Map<string, string | null>();
  if (ids.size === 0) return upns;
  for (const user of preview.users) if (ids.has(user.id)) upns.set(user.id, user.userPrincipalName);
  return upns;
}

/** The Preview screen's coverage (one counting rule, shared/preview/summary.ts), in the report's words. */
function coverageOf(preview: PreviewResult): CoverageReport[] {
  return preview.coverage.map((row) => ({ target: row.target, value: row.value, empty: row.empty, missing: row.null, error: row.error }));
}

function requestLabel(method: string, body: unknown, index: number): string {
  // Entra tries each matching attribute in precedence order until one finds the user (Microsoft Learn "Customize user
  // provisioning attribute-mappings", "Matching users in the source and target systems").
  if (method === 'GET') return index === 0 ? 'Match query' : 'Match query (next matching attribute)';
  if (method === 'POST') return 'Create (POST)';
  if (method === 'DELETE') return 'Delete (DELETE)';
  const operations = (body as { Operations?: { path?: string; value?: unknown }[] } | null)?.Operations ?? [];
  const deactivates = operations.some((op) => {
    if (op.path?.toLowerCase() === 'active') return op.value === false || op.value === 'False';
    return op.value !== null && typeof op.value === 'object' && ((op.value as Record<string, unknown>).active === false || (op.value as Record<string, unknown>).active === 'False');
  });
  if (deactivates) return 'Deactivate (PATCH)';
  if (operations.some((op) => op.path?.toLowerCase().endsWith(':manager'))) return 'Manager link (PATCH)';
  return 'Update (PATCH)';
}

function sampleOf(user: UserPreview, source: SourceObject | undefined): SampleUserReport {
  return {
    userPrincipalName: user.userPrincipalName,
    displayName: typeof source?.displayName === 'string' ? source.displayName : null,
    action: user.action,
    reason: user.reason ?? null,
    requests: user.requests.map(
      (request, index): SampleRequest => ({ label: requestLabel(request.method, request.body, index), method: request.method, path: request.path, body: request.body }),
    ),
  };
}

/** The sample users' ids, and the names asked for that match no user of the snapshot. */
function chooseSamples(preview: PreviewResult, users: readonly SourceObject[], wanted: readonly string[] | undefined): { ids: string[]; missing: string[] } {
  if (wanted && wanted.length > 0) {
    const byKey = new Map<string, string>();
    for (const user of users) {
      const id = String(user.objectId ?? '');
      byKey.set(id.toLowerCase(), id);
      if (typeof user.userPrincipalName === 'string') byKey.set(user.userPrincipalName.toLowerCase(), id);
      if (typeof user.originalUserPrincipalName === 'string') byKey.set(user.originalUserPrincipalName.toLowerCase(), id);
    }
    const found = wanted.map((key) => byKey.get(key.toLowerCase()));
    return { ids: found.filter((id): id is string => id !== undefined), missing: wanted.filter((_, i) => found[i] === undefined) };
  }
  // Default: a few users Entra would create, preferring ones with a manager (their PATCH shows the link).
  const creates = preview.users.filter((user) => user.action === 'create');
  const withManager = creates.filter((user) => user.requests.some((r) => r.method === 'PATCH'));
  const picked = [...withManager.slice(0, 1), ...creates.filter((u) => !withManager.slice(0, 1).includes(u))].slice(0, DEFAULT_SAMPLE_COUNT);
  return { ids: (picked.length > 0 ? picked : preview.users.slice(0, DEFAULT_SAMPLE_COUNT)).map((user) => user.id), missing: [] };
}

/**
 * Says which sample users asked for are not in the snapshot. The names are the admin's own input, but one may
 * be a real person's: a redacted report gives only their number.
 */
function missingSamplesNote(missing: readonly string[], redaction: string): string | null {
  if (missing.length === 0) return null;
  const which = redaction === 'off' ? `: ${missing.join(', ')}` : '';
  return `${missing.length === 1 ? 'One sample user was' : `${missing.length} sample users were`} not found in the snapshot${which} (searched by object id and userPrincipalName).`;
}

/**
 * The report for a mapping set over a snapshot and a vendor profile. Counts and findings come from the
 * preview of the real users; under `pseudonymise` the sample payloads are previewed again from
 * pseudonymised copies of the chosen users (and their managers, so the manager link still resolves), and
 * every remaining text is scrubbed of real values, so no renderer ever sees one.
 */
export function buildReport(input: ReportInput): Report {
  const options = input.options ?? {};
  const redaction = options.redaction ?? 'pseudonymise';
  const redactor = new Redactor(redaction, input.users);
  const sections = REPORT_SECTIONS.filter((section) => (options.sections ?? REPORT_SECTIONS).includes(section));
  const preview =
    input.preview ??
    previewSnapshot({ set: input.set, users: input.users, vendor: input.profile.id, ...(input.dialect ? { dialect: input.dialect } : {}) });
  const vendor = vendorFindings(input.profile, input.set, preview, { users: input.users, groups: input.groups ?? [] });
  const groups = groupFindings([preview.findings, ...preview.users.map((user) => user.findings), vendor]);
  const upns = upnsOf(preview, new Set(groups.flatMap((group) => group.exampleIds)));
  const findings: FindingReport[] = groups.map(({ exampleIds, ...group }) => ({
    ...group,
    examples: redaction === 'remove' ? [] : exampleIds.map((id) => upns.get(id) ?? id),
  }));

  const sourceById = new Map(input.users.map((user) => [String(user.objectId ?? ''), user]));
  let samples: SampleUserReport[] = [];
  let samplesNote: string | null = null;
  if (sections.includes('samples')) {
    const { ids: chosen, missing } = chooseSamples(preview, input.users, options.sampleUsers);
    samplesNote = missingSamplesNote(missing, redaction);
    if (redaction === 'remove') {
      const removed = 'Sample payloads are left out: this report was made with redaction "remove", and every payload carries user values.';
      samplesNote = samplesNote ? `${samplesNote} ${removed}` : removed;
    } else if (redaction === 'off') {
      const previews = new Map(preview.users.map((user) => [user.id, user]));
      samples = chosen.flatMap((id) => (previews.has(id) ? [sampleOf(previews.get(id)!, sourceById.get(id))] : []));
    } else {
      const wanted = new Set(chosen);
      for (const id of chosen) {
        const manager = sourceById.get(id)?.manager;
        if (typeof manager === 'string' && sourceById.has(manager)) wanted.add(manager);
      }
      const fakeUsers = input.users.filter((user) => wanted.has(String(user.objectId ?? ''))).map((user) => redactor.pseudonymiseSource(user));
      const fakePreview = previewSnapshot({ set: input.set, users: fakeUsers, vendor: input.profile.id, dialect: preview.dialect });
      const fakeById = new Map(fakeUsers.map((user) => [String(user.objectId ?? ''), user]));
      const previews = new Map(fakePreview.users.map((user) => [user.id, user]));
      samples = chosen.flatMap((id) => {
        const fakeId = redactor.lookup(id) ?? id;
        const user = previews.get(fakeId);
        return user ? [sampleOf(user, fakeById.get(fakeId))] : [];
      });
    }
  }

  // The report's totals follow the Preview screen's counting rule: the sums of the finding list's counts.
  const summary = { byAction: { ...preview.summary.byAction }, ...severityTotals(findings) };
  const report: Report = {
    meta: {
      title: `SCIM mapping report — ${input.projectName} → ${input.profile.name}`,
      projectName: input.projectName,
      tenantName: input.tenantName,
      vendor: { id: input.profile.id, name: input.profile.name, product: input.profile.product },
      dialect: preview.dialect,
      mappingLabel: input.mappingLabel,
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      redaction,
      users: input.users.length,
      appVersion: input.appVersion ?? null,
    },
    sections,
    summary,
    objectMappings: objectMappingsOf(input.set),
    defaultDifferences: differencesFromDefaults(input.set),
    vendorDifferences: differencesFromVendor(input.set, input.profile),
    customAttributes: customAttributesToAdd(input.set, input.profile),
    findings,
    samples,
    samplesNote,
    coverage: coverageOf(preview),
    provisioning: sections.includes('provisioning') ? (input.provisioning ?? null) : null,
    vendorTicket: vendorTicket(input.profile, input.set, input.groups ?? []),
    endpointCheck: sections.includes('endpointCheck') && input.endpointCheck ? endpointCheckReport(input.endpointCheck) : null,
    microsoftCheck: sections.includes('microsoftCheck') ? microsoftCheckReport(input.microsoftCheck, redactor) : null,
    forecast: forecastOfPreview(input.set, preview, input.users, input.groups ?? [], input.profile.rateLimits),
  };
  // Last line of defence: every string of the model (finding messages quote values) loses its real values.
  return redactor.scrubDeep(report);
}
