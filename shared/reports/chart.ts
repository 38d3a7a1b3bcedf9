import type { CoverageReport } from './model.ts';

/**
 * The coverage chart as inline SVG: one stacked bar per target attribute (value / empty / not sent / error),
 * so the HTML stays one self-contained file that prints the same as it shows. Colours come from classes the
 * report's stylesheet defines; text is real SVG text, so it is searchable in the PDF.
 */

const BAR_HEIGHT = 16;
const ROW_GAP = 6;
const LABEL_WIDTH = 300;
const BAR_WIDTH = 360;
const COUNT_WIDTH = 60;
const LEGEND_HEIGHT = 28;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Long URNs keep their distinctive tail: "…enterprise:2.0:User:manager". */
function shorten(label: string, max = 46): string {
  return label.length <= max ? label : `…${label.slice(label.length - max + 1)}`;
}

const PARTS = [
  { key: 'value', label: 'value sent', className: 'cov-value' },
  { key: 'empty', label: 'empty', className: 'cov-empty' },
  { key: 'missing', label: 'not sent (null)', className: 'cov-missing' },
  { key: 'error', label: 'error', className: 'cov-error' },
] as const;

export function coverageChartSvg(rows: readonly CoverageReport[]): string {
  const width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH;
  const height = LEGEND_HEIGHT + rows.length * (BAR_HEIGHT + ROW_GAP);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="coverage-chart" role="img" aria-label="Coverage: how many users get a value for each target attribute" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
  ];
  let x = LABEL_WIDTH;
  for (const part of PARTS) {
    out.push(`<rect class="${part.className}" x="${x}" y="4" width="12" height="12"/>`);
    out.push(`<text class="cov-legend" x="${x + 16}" y="14">${part.label}</text>`);
    x += 16 + part.label.length * 6.5 + 14;
  }
  rows.forEach((row, index) => {
    const y = LEGEND_HEIGHT + index * (BAR_HEIGHT + ROW_GAP);
    const total = row.value + row.empty + row.missing + row.error;
    out.push(`<g><title>${escapeXml(`${row.target}: ${row.value} value, ${row.empty} empty, ${row.missing} not sent, ${row.error} error`)}</title>`);
    out.push(`<text class="cov-label" x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" text-anchor="end">${escapeXml(shorten(row.target))}</text>`);
    out.push(`<rect class="cov-track" x="${LABEL_WIDTH}" y="${y}" width="${BAR_WIDTH}" height="${BAR_HEIGHT}"/>`);
    let offset = 0;
    for (const part of PARTS) {
      const count = row[part.key];
      if (count === 0 || total === 0) continue;
      const w = (count / total) * BAR_WIDTH;
      out.push(`<rect class="${part.className}" x="${(LABEL_WIDTH + offset).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR_HEIGHT}"/>`);
      offset += w;
    }
    const share = total === 0 ? '–' : `${Math.round((row.value / total) * 100)}%`;
    out.push(`<text class="cov-count" x="${LABEL_WIDTH + BAR_WIDTH + 8}" y="${y + BAR_HEIGHT - 4}">${share}</text></g>`);
  });
  out.push('</svg>');
  return out.join('');
}
