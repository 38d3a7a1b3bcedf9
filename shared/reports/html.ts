import { describeForecast } from '../go-live/forecast.ts';
import { coverageChartSvg } from './chart.ts';
import { GRAPH_APPLY_CALL } from './entra-schema.ts';
import { endpointCheckCleanup, endpointCheckCounts, endpointCheckRun, evidenceRequestText, evidenceResponseText, NO_ENDPOINT_CHECK } from './endpoint-check.ts';
import { microsoftCheckTables, NO_WORKSPACE_CHECK } from './microsoft-check.ts';
import { examplesShown, sampleShown, SECTION_TITLES, type Report, type ReportSection, type SampleRequest } from './model.ts';

/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, no external resource, so it
 * opens from an e-mail attachment, renders inside the app's sandboxed preview (its CSP allows no script)
 * and prints to PDF with page breaks in sensible places.
 */

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const h = escapeHtml;

const STYLE = `
:root { color-scheme: light; --ink: #1b1b1f; --muted: #5c5f66; --line: #d9dce1; --band: #f4f6f8; --accent: #0f6cbd;
  --error: #b42318; --warning: #9a6700; --info: #0b5cad; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { font: 13px/1.45 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); break-after: avoid; }
h3 { font-size: 14px; margin: 18px 0 6px; break-after: avoid; }
h4 { font-size: 12px; margin: 8px 0 2px; color: var(--muted); break-after: avoid; }
p { margin: 6px 0; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
tr { break-inside: avoid; }
/* Cells may break long values (addresses, expressions) anywhere, so a table never outgrows the page; the
   layout stays automatic, so no column is narrower than its header's longest word (issue 20 item 8). */
td, td code, td pre { overflow-wrap: anywhere; }
code, pre { font: 12px/1.4 Consolas, "Cascadia Mono", "SFMono-Regular", Menlo, monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
pre.payload { background: var(--band); border: 1px solid var(--line); padding: 8px; margin: 4px 0 10px; }
.meta { width: auto; min-width: 50%; }
.meta th { width: 180px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
.st-ok, .vs-same { color: var(--ok); } .st-missing, .st-to-remove { color: var(--error); } .st-different, .vs-changed { color: var(--warning); } .vs-added { color: var(--info); }
.explain { color: var(--muted); }
.oc-pass { color: var(--ok); } .oc-fail { color: var(--error); } .oc-skip { color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; min-width: 92px; }
.counts b { display: block; font-size: 18px; }
.note { border-left: 3px solid var(--accent); background: var(--band); padding: 6px 10px; margin: 8px 0; }
.ticket { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; break-inside: avoid; }
.ticket dl { display: grid; grid-template-columns: 220px 1fr; gap: 2px 12px; margin: 6px 0; }
.ticket dt { color: var(--muted); } .ticket dd { margin: 0; font-family: Consolas, Menlo, monospace; word-break: break-all; }
.coverage-chart { max-width: 100%; height: auto; }
.coverage-chart text { font: 11px "Segoe UI", system-ui, Arial, sans-serif; fill: var(--ink); }
.cov-track { fill: #eef0f3; } .cov-value { fill: #2da44e; } .cov-empty { fill: #d4a72c; } .cov-missing { fill: #afb8c1; } .cov-error { fill: #cf222e; }
footer { margin-top: 32px; color: var(--muted); font-size: 11px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  main { padding: 0; max-width: none; }
  body { font-size: 10px; }
  code, pre { font-size: 9.5px; }
  .badge { font-size: 9px; padding: 0 4px; }
  h2 { break-before: auto; }
  section { break-inside: auto; }
  pre.payload { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

function badge(text: string, className: string): string {
  return `<span class="badge ${className}">${h(text)}</span>`;
}

function cell(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '<td></td>' : `<td>${h(String(value))}</td>`;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '));
  } catch {
    return path;
  }
}

function requestBlock(request: SampleRequest): string {
  const body = request.body === null || request.body === undefined ? '' : `\n\n${JSON.stringify(request.body, null, 2)}`;
  return `<h4>${h(request.label)}</h4><pre class="payload">${h(`${request.method} ${decodePath(request.path)}${body}`)}</pre>`;
}

function summarySection(report: Report): string {
  const actions = Object.entries(report.summary.byAction)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `<li><b>${n}</b>${h(action)}</li>`)
    .join('');
  return `<ul class="counts">${actions}<li class="sev-error"><b>${report.summary.errors}</b>errors</li><li class="sev-warning"><b>${report.summary.warnings}</b>warnings</li><li class="sev-info"><b>${report.summary.infos}</b>notes</li></ul>
<p>${report.meta.users} users previewed with the ${h(report.meta.vendor.name)} profile in the ${h(report.meta.dialect === 'aadOptscim062020' ? 'aadOptscim062020 (RFC-closer)' : 'default')} PATCH dialect.</p>${forecastHtml(report)}`;
}

function forecastHtml(report: Report): string {
  if (!report.forecast) return '';
  return `<h3>First cycle forecast</h3><ul class="forecast">${describeForecast(report.forecast).map((line) => `<li>${h(line)}</li>`).join('')}</ul>`;
}

function mappingsSection(report: Report): string {
  return report.objectMappings
    .map((om) => {
      const rows = om.rows
        .map(
          (row) => `<tr><td><code>${h(row.target)}</code></td>${cell(row.mappingType)}<td>${row.pretty ? `<pre>${h(row.pretty)}</pre>` : ''}</td>${cell(row.defaultValue)}${cell(row.matchingPrecedence || '')}${cell(row.apply)}<td class="explain">${h(row.explanation)}</td><td>${badge(row.vsDefault, `vs-${row.vsDefault}`)}</td></tr>`,
        )
        .join('\n');
      return `<h3>${h(om.name)}</h3>
<p>${om.enabled ? 'Enabled' : 'Disabled'} · ${h(om.sourceObject)} → ${h(om.targetObject)} · Target object actions: ${h(om.actions.join(', ') || 'none')}</p>
<table><colgroup><col style="width:18%"><col style="width:10%"><col style="width:20%"><col style="width:8%"><col style="width:10%"><col style="width:8%"><col style="width:17%"><col style="width:9%"></colgroup><thead><tr><th>Target attribute</th><th>Mapping type</th><th>Source attribute / expression</th><th>Default value if null</th><th>Matching precedence</th><th>Apply this mapping</th><th>In plain words</th><th>vs. Entra default</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    })
    .join('\n')
    .concat(`<p class="note">To apply this mapping set to the enterprise app, save it as an Entra schema (<code>--format entra-schema</code>) and send it with <code>${h(GRAPH_APPLY_CALL)}</code>.</p>`);
}

function differencesSection(report: Report): string {
  const defaults =
    report.defaultDifferences.length === 0
      ? '<p>No differences: every row is as Entra creates it for a new SCIM app.</p>'
      : `<table><thead><tr><th>Object</th><th>Target attribute</th><th>Change</th><th>Entra default</th><th>This set</th></tr></thead><tbody>${report.defaultDifferences
          .map((d) => `<tr>${cell(d.objectMapping)}<td><code>${h(d.target)}</code></td><td>${badge(d.change, `vs-${d.change === 'removed' ? 'changed' : d.change}`)}</td>${cell(d.before)}${cell(d.after)}</tr>`)
          .join('')}</tbody></table>`;
  const vendor =
    report.vendorDifferences.length === 0
      ? `<p>The ${h(report.meta.vendor.name)} guide recommends no specific rows.</p>`
      : `<table><thead><tr><th>Target attribute</th><th>The guide asks</th><th>Status</th><th>This set</th><th>Why</th></tr></thead><tbody>${report.vendorDifferences
          .map((d) => `<tr><td><code>${h(d.target)}</code></td>${cell(d.recommendation)}<td>${badge(d.status, `st-${d.status}`)}</td>${cell(d.current)}${cell(d.reason)}</tr>`)
          .join('')}</tbody></table>`;
  return `<h3>From Entra’s default mappings</h3>${defaults}<h3>From ${h(report.meta.vendor.name)}’s recommended set</h3>${vendor}`;
}

function customSection(report: Report): string {
  if (report.customAttributes.length === 0) return '<p>None: every mapped target is in Entra’s default attribute list.</p>';
  return `<p>Add these under <i>Show advanced options → Edit attribute list for customappsso</i>, typed exactly as shown (casing matters).</p>
<table><thead><tr><th>Name</th><th>Type</th><th>Multi-valued</th><th>In the attribute list</th><th>Mapped from</th><th>Note</th></tr></thead><tbody>${report.customAttributes
    .map((c) => `<tr><td><code>${h(c.name)}</code></td>${cell(c.type)}${cell(c.multivalued ? 'yes' : 'no')}${cell(c.inAttributeList ? 'yes' : 'no — add it')}${cell(c.mappedFrom)}${cell(c.note)}</tr>`)
    .join('')}</tbody></table>`;
}

function findingsSection(report: Report): string {
  if (report.findings.length === 0) return '<p>No findings.</p>';
  return `<table><thead><tr><th>Severity</th><th>Code</th><th>Attribute</th><th>Users</th><th>What happens</th><th>Fix</th><th>Examples</th></tr></thead><tbody>${report.findings
    .map(
      (f) =>
        `<tr><td>${badge(f.severity, `sev-${f.severity}`)}</td><td><code>${h(f.code)}</code></td><td>${f.attribute ? `<code>${h(f.attribute)}</code>` : ''}</td>${cell(f.count)}${cell(f.message)}${cell(f.fix)}<td>${f.examples.map((e) => h(e)).join('<br>')}${examplesShown(f) ? `<br><em>${h(examplesShown(f)!)}</em>` : ''}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function samplesSection(report: Report): string {
  const note = report.samplesNote ? `<p class="note">${h(report.samplesNote)}</p>` : '';
  if (report.samples.length === 0) return note || '<p>No user was chosen.</p>';
  const redacted = report.meta.redaction === 'pseudonymise' ? '<p class="note">Names, e-mail addresses, ids and phone numbers are pseudonymised: consistent fake values with the real structure.</p>' : '';
  return (
    note +
    redacted +
    report.samples
      .map(
        (s) =>
          `<h3>${h(s.displayName ?? s.userPrincipalName ?? 'user')} <small>(${h(s.userPrincipalName ?? '')})</small> — ${h(s.action)}${s.reason ? `: ${h(s.reason)}` : ''}</h3>${s.requests.length === 0 ? '<p>Entra sends nothing for this user.</p>' : s.requests.map(requestBlock).join('')}`,
      )
      .join('')
  );
}

function coverageSection(report: Report): string {
  if (report.coverage.length === 0) return '<p>No user attribute mappings.</p>';
  return `${coverageChartSvg(report.coverage)}
<table><thead><tr><th>Target attribute</th><th>Value</th><th>Empty</th><th>Not sent</th><th>Error</th></tr></thead><tbody>${report.coverage
    .map((c) => `<tr><td><code>${h(c.target)}</code></td>${cell(c.value)}${cell(c.empty)}${cell(c.missing)}${cell(c.error)}</tr>`)
    .join('')}</tbody></table>`;
}

function provisioningSection(report: Report): string {
  const run = report.provisioning;
  if (!run) return '<p>No provisioning run was given for this report.</p>';
  const c = run.counts;
  const facts = [
    ['Cycle', run.cycle],
    ['Target', run.target],
    ['Started', run.startedAt],
    ['Finished', run.finishedAt],
    ['Duration', run.durationMs === null ? null : `${(run.durationMs / 1000).toFixed(1)} s`],
  ]
    .filter(([, v]) => v)
    .map(([k, v]) => `<tr><th>${h(k!)}</th><td>${h(v!)}</td></tr>`)
    .join('');
  const failures =
    run.failures.length === 0
      ? ''
      : `<h3>Failures</h3><table><thead><tr><th>User</th><th>Action</th><th>Error</th></tr></thead><tbody>${run.failures
          .map((f) => `<tr>${cell(f.user)}${cell(f.action)}${cell(f.error)}</tr>`)
          .join('')}</tbody></table>${sampleShown(run.failures.length, run.failuresFound) ? `<p class="note">Failures ${h(sampleShown(run.failures.length, run.failuresFound)!)}.</p>` : ''}`;
  return `<table class="meta">${facts}</table><ul class="counts"><li><b>${c.created}</b>created</li><li><b>${c.updated}</b>updated</li><li><b>${c.disabled}</b>disabled</li><li><b>${c.deleted}</b>deleted</li><li><b>${c.skipped}</b>skipped</li><li class="sev-error"><b>${c.failed}</b>failed</li></ul>${failures}`;
}

function endpointCheckSection(report: Report): string {
  const check = report.endpointCheck;
  if (!check) return `<p>${h(NO_ENDPOINT_CHECK)}</p>`;
  const steps = check.steps
    .map((step) => `<tr><td>${h(step.title)} <code>${h(step.id)}</code></td><td>${badge(step.outcome, `oc-${step.outcome}`)}</td>${cell(step.status ?? '–')}${cell(step.explanation)}</tr>`)
    .join('');
  const leftOver =
    check.cleanup.leftOver.length === 0
      ? ''
      : `<h3>Left over</h3><table><thead><tr><th>Resource</th><th>Label</th><th>Why</th></tr></thead><tbody>${check.cleanup.leftOver
          .map((left) => `<tr><td>${h(left.resourceType)} <code>${h(left.path)}</code></td>${cell(left.label)}${cell(left.reason)}</tr>`)
          .join('')}</tbody></table>`;
  const evidence =
    check.failures.length === 0
      ? ''
      : `<h3>Evidence for each failed step</h3>${check.failures
          .map(
            (failure) =>
              `<h4>${h(failure.title)} (${h(failure.id)})</h4><p>${h(failure.explanation)}</p>${
                failure.request ? `<p class="explain">Request (headers left out, credentials redacted)</p><pre class="payload">${h(evidenceRequestText(failure.request))}</pre>` : ''
              }${failure.response ? `<p class="explain">Response: ${h(String(failure.response.status ?? 'no answer'))}</p><pre class="payload">${h(evidenceResponseText(failure.response))}</pre>` : ''}`,
          )
          .join('')}`;
  return `<p>Target <code>${h(check.target)}</code>, ${h(endpointCheckRun(check))}: <b>${h(endpointCheckCounts(check))}</b>. ${h(endpointCheckCleanup(check))}</p>
<table><thead><tr><th>Step</th><th>Outcome</th><th>Status</th><th>Explanation</th></tr></thead><tbody>${steps}</tbody></table>${leftOver}${evidence}`;
}

function microsoftCheckSection(report: Report): string {
  const section = report.microsoftCheck;
  if (!section) return `<p>${h(NO_WORKSPACE_CHECK)}</p>`;
  const tables = microsoftCheckTables(section)
    .map(
      (table) =>
        `<h3>${h(table.title)}</h3><table><thead><tr>${table.header.map((name) => `<th>${h(name)}</th>`).join('')}</tr></thead><tbody>${table.rows
          .map((row) => `<tr>${row.map(cell).join('')}</tr>`)
          .join('')}</tbody></table>`,
    )
    .join('');
  return `<p>${h(section.summary)}</p>${section.valuesNote ? `<p class="explain">${h(section.valuesNote)}</p>` : ''}${tables}`;
}

function vendorTicketSection(report: Report): string {
  const ticket = report.vendorTicket;
  if (!ticket) return `<p>The ${h(report.meta.vendor.name)} guide asks for no specific information in a ticket.</p>`;
  return `<p>${h(ticket.intro)}</p>${ticket.blocks
    .map(
      (block) =>
        `<div class="ticket"><h3>${h(block.title)}</h3><dl>${block.items.map((item) => `<dt>${h(item.label)}</dt><dd>${h(item.value)}</dd>`).join('')}</dl>${block.note ? `<p class="explain">${h(block.note)}</p>` : ''}</div>`,
    )
    .join('')}`;
}

const RENDERERS: Record<ReportSection, (report: Report) => string> = {
  summary: summarySection,
  mappings: mappingsSection,
  differences: differencesSection,
  customAttributes: customSection,
  findings: findingsSection,
  samples: samplesSection,
  coverage: coverageSection,
  provisioning: provisioningSection,
  endpointCheck: endpointCheckSection,
  microsoftCheck: microsoftCheckSection,
  vendorTicket: vendorTicketSection,
};

export function renderHtml(report: Report): string {
  const m = report.meta;
  const meta = [
    ['Project', m.projectName],
    ['Tenant', m.tenantName ?? '—'],
    ['Vendor profile', `${m.vendor.name} — ${m.vendor.product}`],
    ['PATCH dialect', m.dialect],
    ['Mapping set', m.mappingLabel],
    ['Users previewed', String(m.users)],
    ['Redaction', m.redaction],
    ['Generated', m.generatedAt],
  ]
    .map(([k, v]) => `<tr><th>${h(k!)}</th><td>${h(v!)}</td></tr>`)
    .join('');
  const body = report.sections
    .map((section) => `<section id="${section}"><h2>${h(SECTION_TITLES[section])}</h2>${RENDERERS[section](report)}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(m.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${h(m.title)}</h1>
<p class="subtitle">What Microsoft Entra will send to ${h(m.vendor.name)} over SCIM, and what to check before go-live.</p>
<table class="meta">${meta}</table>
${body}
<footer>Generated by SCIM Planner${m.appVersion ? ` ${h(m.appVersion)}` : ''} on ${h(m.generatedAt)}. Redaction: ${h(m.redaction)}.</footer>
</main></body></html>
`;
}
