import { describeForecast } from '../go-live/forecast.ts';
import { GRAPH_APPLY_CALL } from './entra-schema.ts';
import { endpointCheckCleanup, endpointCheckCounts, endpointCheckRun, evidenceRequestText, evidenceResponseText, NO_ENDPOINT_CHECK } from './endpoint-check.ts';
import { microsoftCheckTables, NO_WORKSPACE_CHECK } from './microsoft-check.ts';
import { examplesText, sampleShown, SECTION_TITLES, type EndpointCheckReport, type Report, type ReportSection } from './model.ts';

/**
 * The report as Markdown that pastes into a vendor's ticket form or a GitHub/Azure DevOps comment:
 * GitHub-flavoured tables, one line per row (line breaks inside cells would end the table), and
 * payloads in fenced json blocks.
 */

/**
 * Text from the tenant, the workspace or a vendor profile (names, labels, messages), anywhere outside
 * code: HTML is escaped as entities, because GitHub, Azure DevOps and ticket forms render raw HTML
 * (`<img onerror=…>`), and the Markdown punctuation that makes links, images, emphasis and table
 * columns is backslash-escaped (CommonMark §2.4). Line breaks are flattened so a table row stays one line.
 */
function text(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/[\\`*_[\]|]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n\s*/g, ' ');
}

/** Inline code that survives backticks inside the text (CommonMark: a longer fence); code spans show HTML literally. */
function code(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const flat = String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n\s*/g, ' ');
  const fence = flat.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${flat}${fence === '``' ? ' ' : ''}${fence}`;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** A fenced block closes only on a fence at least as long as its opening, so open with one longer than any run inside. */
function fenced(language: string, body: string): string {
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '));
  } catch {
    return path;
  }
}

/**
 * The "Vendor endpoint check" section's body, which `scim-planner check-endpoint --report` also writes under the
 * section's heading: the run, one row per step, what was left over, and the evidence of each failed step.
 */
export function endpointCheckMarkdown(check: EndpointCheckReport | null): string {
  if (!check) return text(NO_ENDPOINT_CHECK);
  const parts = [
    `Target ${code(check.target)}, ${text(endpointCheckRun(check))}: **${endpointCheckCounts(check)}**.`,
    text(endpointCheckCleanup(check)),
    table(
      ['Step', 'Outcome', 'Status', 'Explanation'],
      check.steps.map((step) => [text(step.title), step.outcome, step.status === null ? '–' : String(step.status), text(step.explanation)]),
    ),
  ];
  if (check.cleanup.leftOver.length > 0) {
    parts.push(check.cleanup.leftOver.map((left) => `- Left over: ${left.resourceType} ${code(left.path)} (${text(left.label)}): ${text(left.reason)}`).join('\n'));
  }
  if (check.failures.length > 0) {
    const evidence = check.failures.map((failure) => {
      const lines = [`#### ${text(failure.title)} (${code(failure.id)})`, text(failure.explanation)];
      if (failure.request) lines.push('Request (headers left out, credentials redacted):', fenced('http', evidenceRequestText(failure.request)));
      if (failure.response) lines.push(`Response: ${failure.response.status ?? 'no answer'}`, fenced('json', evidenceResponseText(failure.response)));
      return lines.join('\n\n');
    });
    parts.push(`### Evidence for each failed step\n\n${evidence.join('\n\n')}`);
  }
  return parts.join('\n\n');
}

const RENDERERS: Record<ReportSection, (report: Report) => string> = {
  summary(report) {
    const actions = Object.entries(report.summary.byAction)
      .filter(([, n]) => n > 0)
      .map(([action, n]) => `${n} ${action}`)
      .join(', ');
    const forecast = report.forecast ? `\n\n**First cycle forecast**\n\n${describeForecast(report.forecast).map((line) => `- ${text(line)}`).join('\n')}` : '';
    return `${report.meta.users} users previewed: ${actions || 'none'}. **${report.summary.errors} errors**, ${report.summary.warnings} warnings, ${report.summary.infos} notes.${forecast}`;
  },
  mappings(report) {
    const parts = report.objectMappings.map((om) => {
      const rows = om.rows.map((row) => [
        code(row.target),
        row.mappingType,
        code(row.source),
        text(row.defaultValue),
        row.matchingPrecedence ? String(row.matchingPrecedence) : '',
        row.apply,
        text(row.explanation),
        row.vsDefault,
      ]);
      return `### ${text(om.name)}\n\n${om.enabled ? 'Enabled' : 'Disabled'} · ${text(om.sourceObject)} → ${text(om.targetObject)} · Target object actions: ${om.actions.join(', ') || 'none'}\n\n${table(
        ['Target attribute', 'Mapping type', 'Source attribute / expression', 'Default value if null', 'Matching precedence', 'Apply this mapping', 'In plain words', 'vs. Entra default'],
        rows,
      )}`;
    });
    return `${parts.join('\n\n')}\n\nTo apply this set: save it as an Entra schema (\`--format entra-schema\`) and send it with \`${GRAPH_APPLY_CALL}\`.`;
  },
  differences(report) {
    const defaults =
      report.defaultDifferences.length === 0
        ? 'No differences: every row is as Entra creates it for a new SCIM app.'
        : table(
            ['Object', 'Target attribute', 'Change', 'Entra default', 'This set'],
            report.defaultDifferences.map((d) => [text(d.objectMapping), code(d.target), d.change, code(d.before), code(d.after)]),
          );
    const vendor =
      report.vendorDifferences.length === 0
        ? `The ${text(report.meta.vendor.name)} guide recommends no specific rows.`
        : table(
            ['Target attribute', 'The guide asks', 'Status', 'This set', 'Why'],
            report.vendorDifferences.map((d) => [code(d.target), text(d.recommendation), d.status, code(d.current), text(d.reason)]),
          );
    return `### From Entra’s default mappings\n\n${defaults}\n\n### From ${text(report.meta.vendor.name)}’s recommended set\n\n${vendor}`;
  },
  customAttributes(report) {
    if (report.customAttributes.length === 0) return 'None: every mapped target is in Entra’s default attribute list.';
    return `Add under *Edit attribute list for customappsso*, typed exactly as shown (casing matters):\n\n${table(
      ['Name', 'Type', 'Multi-valued', 'In the attribute list', 'Mapped from', 'Note'],
      report.customAttributes.map((c) => [code(c.name), c.type, c.multivalued ? 'yes' : 'no', c.inAttributeList ? 'yes' : 'no — add it', code(c.mappedFrom), text(c.note)]),
    )}`;
  },
  findings(report) {
    if (report.findings.length === 0) return 'No findings.';
    return table(
      ['Severity', 'Code', 'Attribute', 'Users', 'What happens', 'Fix', 'Examples'],
      report.findings.map((f) => [f.severity, code(f.code), code(f.attribute), String(f.count), text(f.message), text(f.fix), text(examplesText(f, ', '))]),
    );
  },
  samples(report) {
    const note = report.samplesNote ? `> ${text(report.samplesNote)}\n\n` : '';
    if (report.samples.length === 0) return note.trimEnd() || 'No user was chosen.';
    const intro = report.meta.redaction === 'pseudonymise' ? '> Names, e-mail addresses, ids and phone numbers are pseudonymised: consistent fake values with the real structure.\n\n' : '';
    return (
      note +
      intro +
      report.samples
        .map((s) => {
          const requests = s.requests
            .map((r) => {
              const body = r.body === null || r.body === undefined ? '' : `\n\n${JSON.stringify(r.body, null, 2)}`;
              return `**${text(r.label)}**\n\n${fenced('http', `${r.method} ${decodePath(r.path)}${body}`)}`;
            })
            .join('\n\n');
          return `### ${text(s.displayName ?? s.userPrincipalName ?? 'user')} (${text(s.userPrincipalName)}) — ${s.action}${s.reason ? `: ${text(s.reason)}` : ''}\n\n${requests || 'Entra sends nothing for this user.'}`;
        })
        .join('\n\n')
    );
  },
  coverage(report) {
    if (report.coverage.length === 0) return 'No user attribute mappings.';
    return table(
      ['Target attribute', 'Value', 'Empty', 'Not sent', 'Error', 'Share with a value'],
      report.coverage.map((c) => {
        const total = c.value + c.empty + c.missing + c.error;
        return [code(c.target), String(c.value), String(c.empty), String(c.missing), String(c.error), total ? `${Math.round((c.value / total) * 100)}%` : '–'];
      }),
    );
  },
  provisioning(report) {
    const run = report.provisioning;
    if (!run) return 'No provisioning run was given for this report.';
    const c = run.counts;
    const facts = [run.cycle && `cycle ${text(run.cycle)}`, run.target && `target ${code(run.target)}`, run.startedAt && `started ${text(run.startedAt)}`, run.durationMs !== null && `${(run.durationMs / 1000).toFixed(1)} s`]
      .filter(Boolean)
      .join(', ');
    const shown = sampleShown(run.failures.length, run.failuresFound);
    const failures = run.failures.length
      ? `\n\n${table(['User', 'Action', 'Error'], run.failures.map((f) => [text(f.user), text(f.action), text(f.error)]))}${shown ? `\n\nFailures ${shown}.` : ''}`
      : '';
    return `${facts ? `${facts}.\n\n` : ''}${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.deleted} deleted, ${c.skipped} skipped, **${c.failed} failed**.${failures}`;
  },
  endpointCheck: (report) => endpointCheckMarkdown(report.endpointCheck ?? null),
  microsoftCheck(report) {
    const section = report.microsoftCheck;
    if (!section) return text(NO_WORKSPACE_CHECK);
    // the expression column is code; every other cell is text from the tenant or the check
    const tables = microsoftCheckTables(section).map((t) => `### ${text(t.title)}\n\n${table(t.header, t.rows.map((row) => row.map((value, i) => (t.header[i] === 'Expression' ? code(value) : text(value)))))}`);
    return [text(section.summary), section.valuesNote && `_${text(section.valuesNote)}_`, ...tables].filter(Boolean).join('\n\n');
  },
  vendorTicket(report) {
    const ticket = report.vendorTicket;
    if (!ticket) return `The ${text(report.meta.vendor.name)} guide asks for no specific information in a ticket.`;
    const blocks = ticket.blocks.map((b) => `#### ${text(b.title)}\n\n${b.items.map((i) => `- ${text(i.label)}: ${code(i.value)}`).join('\n')}${b.note ? `\n\n_${text(b.note)}_` : ''}`);
    return `${text(ticket.intro)}\n\n${blocks.join('\n\n')}`;
  },
};

export function renderMarkdown(report: Report): string {
  const m = report.meta;
  const head = [
    `# ${text(m.title)}`,
    '',
    table(
      ['', ''],
      [
        ['Project', text(m.projectName)],
        ['Tenant', text(m.tenantName ?? '—')],
        ['Vendor profile', text(`${m.vendor.name} — ${m.vendor.product}`)],
        ['PATCH dialect', m.dialect],
        ['Mapping set', text(m.mappingLabel)],
        ['Users previewed', String(m.users)],
        ['Redaction', m.redaction],
        ['Generated', m.generatedAt],
      ],
    ),
  ].join('\n');
  const sections = report.sections.map((section) => `## ${SECTION_TITLES[section]}\n\n${RENDERERS[section](report)}`);
  return `${[head, ...sections].join('\n\n')}\n`;
}
