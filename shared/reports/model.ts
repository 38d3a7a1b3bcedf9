import type { Forecast } from '../go-live/forecast.ts';
import type { MicrosoftCheckReport } from './microsoft-check.ts';
import type { RedactionMode } from './redact.ts';

/**
 * The report as data: every renderer (HTML, Markdown, CSV, JSON) reads this one model, so the formats
 * never disagree. The model is built after redaction, so a renderer cannot leak a value by accident.
 */

export const REPORT_SECTIONS = ['summary', 'mappings', 'differences', 'customAttributes', 'findings', 'samples', 'coverage', 'provisioning', 'endpointCheck', 'microsoftCheck', 'vendorTicket'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<ReportSection, string>> = Object.freeze({
  summary: 'Summary',
  mappings: 'Attribute mappings',
  differences: 'Differences from Entra defaults and the vendor’s recommended set',
  customAttributes: 'Custom attributes to add',
  findings: 'Findings',
  samples: 'Sample payloads',
  coverage: 'Coverage',
  provisioning: 'Last provisioning run',
  endpointCheck: 'Vendor endpoint check',
  microsoftCheck: 'Checked with Microsoft',
  vendorTicket: 'Information for the vendor’s support team',
});

export const REPORT_FORMATS = ['html', 'pdf', 'md', 'csv', 'json', 'entra-schema'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  /** sections to include, in REPORT_SECTIONS order; default: all */
  sections?: readonly ReportSection[];
  /** object ids or UPNs of the users whose payloads are shown; default: the first few users that send something */
  sampleUsers?: readonly string[];
  /** default pseudonymise: reports are made to leave the machine */
  redaction?: RedactionMode;
  /** ISO time printed on the report; injectable so a report can be reproduced byte for byte */
  generatedAt?: string;
}

export const DEFAULT_SAMPLE_COUNT = 3;

interface ReportMeta {
  title: string;
  projectName: string;
  tenantName: string | null;
  vendor: { id: string; name: string; product: string };
  dialect: 'default' | 'aadOptscim062020';
  mappingLabel: string;
  generatedAt: string;
  redaction: RedactionMode;
  users: number;
  appVersion: string | null;
}

interface MappingRowReport {
  target: string;
  /** Mapping type as the portal says it: Direct, Constant, Expression, None */
  mappingType: string;
  /** the expression as written (one line) */
  source: string | null;
  /** the expression laid out over lines for reading */
  pretty: string | null;
  /** "title ← the first 64 characters of jobTitle" */
  explanation: string;
  defaultValue: string | null;
  /** 0 = not a matching attribute */
  matchingPrecedence: number;
  /** Apply this mapping: Always | Only during object creation */
  apply: string;
  /** compared with Entra's default set */
  vsDefault: 'same' | 'changed' | 'added';
}

export interface ObjectMappingReport {
  name: string;
  sourceObject: string;
  targetObject: string;
  enabled: boolean;
  /** Target object actions: Create, Update, Delete */
  actions: string[];
  rows: MappingRowReport[];
}

export interface DefaultDifference {
  objectMapping: string;
  target: string;
  change: 'added' | 'removed' | 'changed';
  /** what Entra's default row does / did */
  before: string | null;
  /** what this set does */
  after: string | null;
}

export interface VendorDifference {
  target: string;
  /** what the vendor's guide asks for */
  recommendation: string;
  /** how the set stands: ok (as recommended), missing, different, to-remove (still mapped) */
  status: 'ok' | 'missing' | 'different' | 'to-remove';
  current: string | null;
  reason: string;
}

export interface CustomAttributeReport {
  /** exactly as it must be typed under "Edit attribute list for customappsso" (casing matters) */
  name: string;
  type: string;
  multivalued: boolean;
  /** already in the set's attribute list */
  inAttributeList: boolean;
  mappedFrom: string | null;
  note: string | null;
}

export interface FindingReport {
  severity: 'error' | 'warning' | 'info';
  code: string;
  attribute: string | null;
  /** users affected (1 for a mapping-level finding) */
  count: number;
  message: string;
  fix: string | null;
  /** UPNs of a few affected users, a bounded sample whatever `count` is (redacted like everything else; empty under `remove`) */
  examples: string[];
}

/** "showing 3 of 12,345" when a report lists a bounded sample of more: it stays a sane size at any tenant size. */
export function sampleShown(shown: number, total: number): string | null {
  return shown === 0 || total <= shown ? null : `showing ${shown} of ${total.toLocaleString('en-US')}`;
}

export function examplesShown(finding: Pick<FindingReport, 'count' | 'examples'>): string | null {
  return sampleShown(finding.examples.length, finding.count);
}

/** The example users on one line, then how many of all they are: "a; b; c (showing 3 of 12,345)". */
export function examplesText(finding: Pick<FindingReport, 'count' | 'examples'>, separator: string): string {
  const shown = examplesShown(finding);
  return shown ? `${finding.examples.join(separator)} (${shown})` : finding.examples.join(separator);
}

export interface SampleRequest {
  /** Match query, Create (POST), Update (PATCH), Deactivate … */
  label: string;
  method: string;
  path: string;
  body: unknown;
}

export interface SampleUserReport {
  userPrincipalName: string | null;
  displayName: string | null;
  action: string;
  reason: string | null;
  requests: SampleRequest[];
}

export interface CoverageReport {
  target: string;
  /** users given a value, an empty string, nothing (omitted) or an error */
  value: number;
  empty: number;
  missing: number;
  error: number;
}

export interface ProvisioningReport {
  cycle: string | null;
  target: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  counts: { created: number; updated: number; disabled: number; deleted: number; skipped: number; failed: number };
  /** the first PROVISIONING_FAILURE_SAMPLE failed objects of the run */
  failures: { user: string | null; action: string | null; error: string }[];
  /** how many objects failed in the log (failures is a sample of them) */
  failuresFound: number;
}

/** Failed objects a report lists from a provisioning run: a cycle where every user fails must not list them all. */
export const PROVISIONING_FAILURE_SAMPLE = 20;

/** A request or answer of a failed step, kept as evidence for the vendor; no header is kept, so no credential either. */
interface EndpointCheckEvidence {
  request: { method: string; url: string; body: unknown } | null;
  /** status null: the vendor did not answer (a timeout, a refused connection) */
  response: { status: number | null; body: unknown } | null;
}

/** The project's last endpoint check (issue 16): what Entra's requests met at the vendor's endpoint. */
export interface EndpointCheckReport {
  target: string;
  runId: string;
  mode: 'full' | 'read-only';
  dialects: string[];
  startedAt: string;
  durationMs: number;
  passed: number;
  failed: number;
  skipped: number;
  cancelled: boolean;
  steps: { id: string; title: string; outcome: 'pass' | 'fail' | 'skip'; status: number | null; explanation: string }[];
  /** the failed steps with their request and the vendor's answer, in run order */
  failures: ({ id: string; title: string; explanation: string } & EndpointCheckEvidence)[];
  cleanup: { deleted: number; leftOver: { resourceType: string; path: string; label: string; reason: string }[] };
}

interface VendorTicketItem {
  /** a label as the vendor's guide words it */
  label: string;
  value: string;
}

export interface VendorTicketReport {
  /** what the guide asks for, with its citation */
  intro: string;
  /** one block per thing to request (e.g. per custom field) */
  blocks: { title: string; items: VendorTicketItem[]; note?: string }[];
}

export interface Report {
  meta: ReportMeta;
  sections: ReportSection[];
  summary: { byAction: Record<string, number>; errors: number; warnings: number; infos: number };
  objectMappings: ObjectMappingReport[];
  defaultDifferences: DefaultDifference[];
  vendorDifferences: VendorDifference[];
  customAttributes: CustomAttributeReport[];
  findings: FindingReport[];
  samples: SampleUserReport[];
  /** set when samples are left out on purpose (redaction: remove) */
  samplesNote: string | null;
  coverage: CoverageReport[];
  provisioning: ProvisioningReport | null;
  vendorTicket: VendorTicketReport | null;
  /** the project's last endpoint check; null when none was run or the section is left out */
  endpointCheck?: EndpointCheckReport | null;
  /** the reported revision's newest check against Microsoft (issue 14), or why there is none; null when left out */
  microsoftCheck?: MicrosoftCheckReport | null;
  /** the first cycle's forecast for these users (issue 15) */
  forecast?: Forecast | null;
}
