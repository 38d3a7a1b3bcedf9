import { GRAPH_APPLY_CALL } from './entra-schema.ts';
import { SECTION_TITLES, type Report, type ReportSection } from './model.ts';

/**
 * The report as Markdown that pastes into a vendor's ticket form or a GitHub/Azure DevOps comment:
 * GitHub-flavoured tables, one line per row (line breaks inside cells would end the table), and
 * payloads in fenced json blocks.
 */

/** A table cell: pipes escaped, line breaks flattened, so the row stays one line. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n\s*/g, ' ');
}

/** Inline code that survives backticks inside the text (CommonMark: a longer fence). */
function code(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const flat = cell(value);
  const fence = flat.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${flat}${fence === '``' ? ' ' : ''}${fence}`;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function fenced(language: string, text: string): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${fence}${language}\n${text}\n${fence}`;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '));
  } catch {
    return path;
  }
}

const RENDERERS: Record<ReportSection, (report: Report) => string> = {
  summary(report) {
    const actions = Object.entries(report.summary.byAction)
      .filter(([, n]) => n > 0)
      .map(([action, n]) => `${n} ${action}`)
      .join(', ');
    return `${report.meta.users} users previewed: ${actions || 'none'}. **${report.summary.errors} errors**, ${report.summary.warnings} warnings, ${report.summary.infos} notes.`;
  },
  mappings(report) {
    const parts = report.objectMappings.map((om) => {
      const rows = om.rows.map((row) => [
        code(row.target),
        row.mappingType,
        code(row.source),
        cell(row.defaultValue),
        row.matchingPrecedence ? String(row.matchingPrecedence) : '',
        row.apply,
        cell(row.explanation),
        row.vsDefault,
      ]);
      return `### ${om.name}\n\n${om.enabled ? 'Enabled' : 'Disabled'} · ${om.sourceObject} → ${om.targetObject} · Target object actions: ${om.actions.join(', ') || 'none'}\n\n${table(
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
            report.defaultDifferences.map((d) => [cell(d.objectMapping), code(d.target), d.change, code(d.before), code(d.after)]),
          );
    const vendor =
      report.vendorDifferences.length === 0
        ? `The ${report.meta.vendor.name} guide recommends no specific rows.`
        : table(
            ['Target attribute', 'The guide asks', 'Status', 'This set', 'Why'],
            report.vendorDifferences.map((d) => [code(d.target), cell(d.recommendation), d.status, code(d.current), cell(d.reason)]),
          );
    return `### From Entra’s default mappings\n\n${defaults}\n\n### From ${report.meta.vendor.name}’s recommended set\n\n${vendor}`;
  },
  customAttributes(report) {
    if (report.customAttributes.length === 0) return 'None: every mapped target is in Entra’s default attribute list.';
    return `Add under *Edit attribute list for customappsso*, typed exactly as shown (casing matters):\n\n${table(
      ['Name', 'Type', 'Multi-valued', 'In the attribute list', 'Mapped from', 'Note'],
      report.customAttributes.map((c) => [code(c.name), c.type, c.multivalued ? 'yes' : 'no', c.inAttributeList ? 'yes' : 'no — add it', code(c.mappedFrom), cell(c.note)]),
    )}`;
  },
  findings(report) {
    if (report.findings.length === 0) return 'No findings.';
    return table(
      ['Severity', 'Code', 'Attribute', 'Users', 'What happens', 'Fix', 'Examples'],
      report.findings.map((f) => [f.severity, code(f.code), code(f.attribute), String(f.count), cell(f.message), cell(f.fix), cell(f.examples.join(', '))]),
    );
  },
  samples(report) {
    if (report.samplesNote) return `> ${report.samplesNote}`;
    if (report.samples.length === 0) return 'No user was chosen.';
    const intro = report.meta.redaction === 'pseudonymise' ? '> Names, e-mail addresses, ids and phone numbers are pseudonymised: consistent fake values with the real structure.\n\n' : '';
    return (
      intro +
      report.samples
        .map((s) => {
          const requests = s.requests
            .map((r) => {
              const body = r.body === null || r.body === undefined ? '' : `\n\n${JSON.stringify(r.body, null, 2)}`;
              return `**${r.label}**\n\n${fenced('http', `${r.method} ${decodePath(r.path)}${body}`)}`;
            })
            .join('\n\n');
          return `### ${s.displayName ?? s.userPrincipalName ?? 'user'} (${s.userPrincipalName ?? ''}) — ${s.action}${s.reason ? `: ${s.reason}` : ''}\n\n${requests || 'Entra sends nothing for this user.'}`;
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
    const facts = [run.cycle && `cycle ${run.cycle}`, run.target && `target ${code(run.target)}`, run.startedAt && `started ${run.startedAt}`, run.durationMs !== null && `${(run.durationMs / 1000).toFixed(1)} s`]
      .filter(Boolean)
      .join(', ');
    const failures = run.failures.length ? `\n\n${table(['User', 'Action', 'Error'], run.failures.map((f) => [cell(f.user), cell(f.action), cell(f.error)]))}` : '';
    return `${facts ? `${facts}.\n\n` : ''}${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.deleted} deleted, ${c.skipped} skipped, **${c.failed} failed**.${failures}`;
  },
  vendorTicket(report) {
    const ticket = report.vendorTicket;
    if (!ticket) return `The ${report.meta.vendor.name} guide asks for no specific information in a ticket.`;
    const blocks = ticket.blocks.map((b) => `#### ${b.title}\n\n${b.items.map((i) => `- ${i.label}: ${code(i.value)}`).join('\n')}${b.note ? `\n\n_${cell(b.note)}_` : ''}`);
    return `${ticket.intro}\n\n${blocks.join('\n\n')}`;
  },
};

export function renderMarkdown(report: Report): string {
  const m = report.meta;
  const head = [
    `# ${m.title}`,
    '',
    table(
      ['', ''],
      [
        ['Project', cell(m.projectName)],
        ['Tenant', cell(m.tenantName ?? '—')],
        ['Vendor profile', cell(`${m.vendor.name} — ${m.vendor.product}`)],
        ['PATCH dialect', m.dialect],
        ['Mapping set', cell(m.mappingLabel)],
        ['Users previewed', String(m.users)],
        ['Redaction', m.redaction],
        ['Generated', m.generatedAt],
      ],
    ),
  ].join('\n');
  const sections = report.sections.map((section) => `## ${SECTION_TITLES[section]}\n\n${RENDERERS[section](report)}`);
  return `${[head, ...sections].join('\n\n')}\n`;
}
