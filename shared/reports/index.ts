import type { MappingSet } from '../mapping/model.ts';
import { renderCsv } from './csv.ts';
import { entraSchemaJson } from './entra-schema.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import type { Report, ReportFormat } from './model.ts';

export * from './model.ts';
export { assembleReport, defaultSamples, type ReportInput, type ReportPreview, type ReportSamples } from './build.ts';
export { Redactor, REDACTION_MODES, REMOVED, PERSONAL_ATTRIBUTES, type RedactionMode } from './redact.ts';
export { explainExpression, explainMapping, prettyExpression } from './explain.ts';
export { entraDefaultSet, customAttributesToAdd, differencesFromDefaults, differencesFromVendor } from './compare.ts';
export { readProvisioningLog, ProvisioningLogError } from './provisioning.ts';
export { endpointCheckReport, readEndpointCheck, redactCredentials, EndpointCheckFileError } from './endpoint-check.ts';
export { renderHtml } from './html.ts';
export { renderMarkdown, endpointCheckMarkdown } from './markdown.ts';
export { renderCsv, parseCsv } from './csv.ts';
export { entraSchemaJson, graphApplyInstructions, GRAPH_APPLY_CALL } from './entra-schema.ts';
export { coverageChartSvg } from './chart.ts';

const REPORT_JSON_FORMAT = 'scim-planner-report';
const REPORT_JSON_VERSION = 1;

/** The JSON format: the report model itself, tagged so a reader knows what it holds. */
export function renderJson(report: Report): string {
  return `${JSON.stringify({ format: REPORT_JSON_FORMAT, version: REPORT_JSON_VERSION, ...report }, null, 2)}\n`;
}

export const MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = Object.freeze({
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  'entra-schema': 'application/json',
});

export const FILE_EXTENSIONS: Readonly<Record<ReportFormat, string>> = Object.freeze({
  html: 'html',
  pdf: 'pdf',
  md: 'md',
  csv: 'csv',
  json: 'json',
  'entra-schema': 'schema.json',
});

/**
 * Every text format. PDF is the HTML printed by a browser engine (electron/backend/reports/pdf.ts), and the
 * Entra schema is the mapping set itself (it holds no user data, so redaction has nothing to do there).
 */
export function renderTextReport(format: Exclude<ReportFormat, 'pdf'>, report: Report, set: MappingSet): string {
  switch (format) {
    case 'html':
      return renderHtml(report);
    case 'md':
      return renderMarkdown(report);
    case 'csv':
      return renderCsv(report);
    case 'json':
      return renderJson(report);
    case 'entra-schema':
      return entraSchemaJson(set);
  }
}
