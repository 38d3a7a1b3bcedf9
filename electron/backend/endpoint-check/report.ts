/**
 * An endpoint check as the files the vendor gets: the report's "Vendor endpoint check" section in Markdown (rendered by
 * the report's own renderer, so the CLI's --report, the panel's export and the mapping report say the same) and the
 * Postman collection. The CLI and the panel both write through here, so their files are the same bytes.
 */
import type { EndpointCheckExport } from '../../../shared/api/endpoint-check.ts';
import { endpointCheckReport, redactCredentials } from '../../../shared/reports/endpoint-check.ts';
import { endpointCheckMarkdown as sectionBody } from '../../../shared/reports/markdown.ts';
import { SECTION_TITLES } from '../../../shared/reports/model.ts';
import { toPostmanCollection } from './postman.ts';
import type { CheckResult } from './types.ts';

/** The run as a Markdown report section, ready for the mapping report or a vendor ticket as it is. */
export function endpointCheckMarkdown(result: CheckResult): string {
  return `## ${SECTION_TITLES.endpointCheck}\n\n${sectionBody(endpointCheckReport(result))}\n`;
}

/** The run as a Postman collection (v2.1) in JSON; credentials a vendor echoed back are masked too. */
export function postmanCollectionJson(result: CheckResult): string {
  return `${JSON.stringify(toPostmanCollection(redactCredentials(result)), null, 2)}\n`;
}

interface EndpointCheckFile {
  fileName: string;
  mediaType: string;
  content: string;
}

/** "scim-check-3f9c2a1b.postman_collection.json": Postman's own suffix, so its Import dialog recognises the file. */
export function endpointCheckFile(result: CheckResult, format: EndpointCheckExport): EndpointCheckFile {
  const stem = `scim-check-${result.runId.replace(/[^A-Za-z0-9-]+/g, '-')}`;
  return format === 'postman'
    ? { fileName: `${stem}.postman_collection.json`, mediaType: 'application/json', content: postmanCollectionJson(result) }
    : { fileName: `${stem}-report.md`, mediaType: 'text/markdown; charset=utf-8', content: endpointCheckMarkdown(result) };
}
