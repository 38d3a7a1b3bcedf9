import type { CheckResult } from '../api/endpoint-check.ts';
import type { SourceObject } from '../directory/source-object.ts';
import { isCreateOnly, mappingTypeOf, matchingPriorityOf, objectActionsOf, sourceExpressionOf, type MappingSet, type ScimDialect } from '../mapping/model.ts';
import { previewSnapshot } from '../preview/run.ts';
import { severityTotals, type FindingGroupData } from '../preview/summary.ts';
import type { CoverageData, PreviewSummary, UserPreview } from '../preview/types.ts';
import type { VendorProfile } from '../vendors/index.ts';
import type { Forecast } from '../go-live/forecast.ts';
import { customAttributesToAdd, differencesFromDefaults, differencesFromVendor, rowStatusAgainstDefault } from './compare.ts';
import { endpointCheckReport } from './endpoint-check.ts';
import { explainMapping, prettyExpression } from './explain.ts';
import { microsoftCheckReport, type MicrosoftCheckInput } from './microsoft-check.ts';
import {
  DEFAULT_SAMPLE_COUNT,
  REPORT_SECTIONS,
  type FindingReport,
  type ObjectMappingReport,
  type ProvisioningReport,
  type Report,
  type ReportOptions,
  type SampleRequest,
  type SampleUserReport,
} from './model.ts';
import type { Redactor } from './redact.ts';
import { vendorTicket } from './vendor-ticket.ts';

/** What a report is about, besides its users: the inputs that hold no per-user data. */
export interface ReportInput {
  projectName: string;
  tenantName: string | null;
  /** e.g. "revision 4 — HiThrive fixes" or "Entra default mappings" */
  mappingLabel: string;
  set: MappingSet;
  groups?: readonly SourceObject[];
  profile: VendorProfile;
  /** overrides the dialect the tenant URL selects */
  dialect?: ScimDialect;
  provisioning?: ProvisioningReport | null;
  /** the project's last endpoint check run (issue 16) */
  endpointCheck?: CheckResult | null;
  /** the reported revision's checks against Microsoft (a workspace keeps them); absent for a report made from files */
  microsoftCheck?: MicrosoftCheckInput;
  appVersion?: string | null;
  options?: ReportOptions;
}

/**
 * The preview of every user as a report needs it, summarised (issue 18: its size does not follow the tenant's): the
 * counts, the coverage, the finding groups with the ids of a few users each reaches, and those users' names.
 */
export interface ReportPreview {
  dialect: ScimDialect;
  users: number;
  byAction: PreviewSummary['byAction'];
  coverage: readonly CoverageData[];
  /** the engine's and the vendor's findings grouped (FindingGroups), errors first */
  findingGroups: readonly FindingGroupData[];
  /** the userPrincipalName of the example users of the finding groups */
  exampleUpns: ReadonlyMap<string, string | null>;
  forecast: Forecast | null;
}

/** The sample users: their previews (redaction off) and their source objects with their managers' (pseudonymise). */
export interface ReportSamples {
  chosen: readonly string[];
  /** the names asked for that match no user of the snapshot */
  missing: readonly string[];
  previews: ReadonlyMap<string, UserPreview>;
  /** the chosen users and their managers, by object id */
  sources: ReadonlyMap<string, SourceObject>;
}

/** The bounded sample of users a finding names ("showing 3 of 12,345"). */
const EXAMPLES_PER_FINDING = 3;

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

/**
 * The default sample users among `candidates` (the first users Entra would create, in snapshot order): a few creates,
 * one with a manager first when there is one (its PATCH shows the link); `fallback` when nothing is created.
 */
export function defaultSamples(candidates: readonly UserPreview[], fallback: readonly string[]): string[] {
  const creates = candidates.filter((user) => user.action === 'create');
  const withManager = creates.filter((user) => user.requests.some((r) => r.method === 'PATCH'));
  const picked = [...withManager.slice(0, 1), ...creates.filter((u) => !withManager.slice(0, 1).includes(u))].slice(0, DEFAULT_SAMPLE_COUNT);
  return picked.length > 0 ? picked.map((user) => user.id) : fallback.slice(0, DEFAULT_SAMPLE_COUNT);
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
 * The report from a summarised preview and its sample users. Under `pseudonymise` the sample payloads are previewed
 * again from pseudonymised copies of the chosen users (and their managers, so the manager link still resolves), and
 * every text is scrubbed of the real values the redactor knows (redact-scan.ts finds those that occur), so no
 * renderer ever sees one.
 */
export function assembleReport(input: ReportInput, preview: ReportPreview, chosen: ReportSamples, redactor: Redactor): Report {
  const options = input.options ?? {};
  const redaction = redactor.mode;
  const sections = REPORT_SECTIONS.filter((section) => (options.sections ?? REPORT_SECTIONS).includes(section));
  const findings: FindingReport[] = preview.findingGroups.map(({ exampleUserIds, ...group }) => ({
    severity: group.severity,
    code: group.code,
    attribute: group.attribute,
    count: group.count,
    message: group.message,
    fix: group.fix,
    examples: redaction === 'remove' ? [] : exampleUserIds.slice(0, EXAMPLES_PER_FINDING).map((id) => preview.exampleUpns.get(id) ?? id),
  }));

  let samples: SampleUserReport[] = [];
  let samplesNote: string | null = null;
  if (sections.includes('samples')) {
    samplesNote = missingSamplesNote(chosen.missing, redaction);
    if (redaction === 'remove') {
      const removed = 'Sample payloads are left out: this report was made with redaction "remove", and every payload carries user values.';
      samplesNote = samplesNote ? `${samplesNote} ${removed}` : removed;
    } else if (redaction === 'off') {
      samples = chosen.chosen.flatMap((id) => (chosen.previews.has(id) ? [sampleOf(chosen.previews.get(id)!, chosen.sources.get(id))] : []));
    } else {
      const fakeUsers = [...chosen.sources.values()].map((user) => redactor.pseudonymiseSource(user));
      const fakePreview = previewSnapshot({ set: input.set, users: fakeUsers, vendor: input.profile.id, dialect: preview.dialect });
      const fakeById = new Map(fakeUsers.map((user) => [String(user.objectId ?? ''), user]));
      const previews = new Map(fakePreview.users.map((user) => [user.id, user]));
      samples = chosen.chosen.flatMap((id) => {
        const fakeId = redactor.lookup(id) ?? id;
        const user = previews.get(fakeId);
        return user ? [sampleOf(user, fakeById.get(fakeId))] : [];
      });
    }
  }

  // The report's totals follow the Preview screen's counting rule: the sums of the finding list's counts.
  const summary = { byAction: { ...preview.byAction }, ...severityTotals(findings) };
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
      users: preview.users,
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
    coverage: preview.coverage.map((row) => ({ target: row.target, value: row.value, empty: row.empty, missing: row.null, error: row.error })),
    provisioning: sections.includes('provisioning') ? (input.provisioning ?? null) : null,
    vendorTicket: vendorTicket(input.profile, input.set, input.groups ?? []),
    endpointCheck: sections.includes('endpointCheck') && input.endpointCheck ? endpointCheckReport(input.endpointCheck) : null,
    microsoftCheck: sections.includes('microsoftCheck') ? microsoftCheckReport(input.microsoftCheck, redactor) : null,
    forecast: preview.forecast,
  };
  // Last line of defence: every string of the model (finding messages quote values) loses its real values.
  return redactor.scrubDeep(report);
}
