/**
 * An endpoint check as a Markdown report section: the summary, one table row per step, and for each failure the
 * request and the vendor's answer, so it can go into the mapping report or a vendor ticket as it is.
 */
import type { CheckResult, CheckStep } from './types.ts';

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fenced block that no backtick run inside the text can close. */
function fenced(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function evidence(step: CheckStep): string[] {
  const lines = [`#### ${step.title} (\`${step.id}\`)`, '', step.explanation, ''];
  if (step.request) {
    const request = `${step.request.method} ${step.request.url}${step.request.body ? `\n\n${JSON.stringify(step.request.body, null, 2)}` : ''}`;
    lines.push('Request (Authorization redacted):', '', fenced('http', request), '');
  }
  if (step.response) {
    const body = typeof step.response.body === 'string' ? step.response.body : JSON.stringify(step.response.body, null, 2);
    lines.push(`Response: ${step.response.status ?? 'no answer'}`, '', fenced('json', body ?? ''), '');
  }
  return lines;
}

export function endpointCheckMarkdown(result: CheckResult): string {
  const lines = [
    '## Vendor endpoint check',
    '',
    `Target ${result.target}, ${result.mode} check in the ${result.dialects.join(' and ')} dialect, run \`${result.runId}\` started ${result.startedAt}:`,
    `${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.cancelled ? ' (cancelled)' : ''}.`,
    `Cleanup: ${result.cleanup.deleted.length} test resource(s) deleted, ${result.cleanup.leftOver.length} left over.`,
    '',
    '| step | outcome | status | explanation |',
    '|---|---|---|---|',
    ...result.steps.map((s) => `| ${cell(s.title)} | ${s.outcome} | ${s.response?.status ?? '–'} | ${cell(s.explanation)} |`),
    '',
  ];
  for (const left of result.cleanup.leftOver) lines.push(`- Left over: ${left.resourceType} ${left.path} (${cell(left.label)}): ${cell(left.reason)}`);
  if (result.cleanup.leftOver.length > 0) lines.push('');
  const failures = result.steps.filter((s) => s.outcome === 'fail');
  if (failures.length > 0) lines.push('### Evidence for each failed step', '', ...failures.flatMap(evidence));
  return `${lines.join('\n').trimEnd()}\n`;
}
