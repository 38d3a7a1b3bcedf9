import type { PreviewRunSummary } from '../../shared/api.ts';
import { formatCount } from './labels.ts';

type CoverageRow = PreviewRunSummary['coverage'][number];

const SEGMENTS = [
  { key: 'value', label: 'Value' },
  { key: 'empty', label: 'Empty string' },
  { key: 'null', label: 'Null (omitted)' },
  { key: 'error', label: 'Error' },
] as const;

const ROW_HEIGHT = 24;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 300;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + 70;

/** Long URNs keep their distinctive tail; the full name is in the tooltip and the table. */
export function shortTarget(target: string): string {
  if (!target.startsWith('urn:')) return target.length > 34 ? `${target.slice(0, 33)}…` : target;
  const tail = target.slice(target.lastIndexOf(':') + 1);
  return `…:${tail}`;
}

/**
 * Per target attribute, how many users get a value, an empty string, null (Entra omits it) or an
 * error, as one stacked bar each. Colour is backed by a legend, tooltips and an exact table.
 */
export function CoverageChart({ rows }: { rows: readonly CoverageRow[] }) {
  if (rows.length === 0) return <p className="muted">No target attributes are mapped.</p>;
  const height = rows.length * ROW_HEIGHT + 4;
  return (
    <section className="coverage-chart" aria-label="Attribute coverage">
      <ul className="coverage-legend">
        {SEGMENTS.map((s) => (
          <li key={s.key}>
            <span className={`swatch coverage-${s.key}`} aria-hidden="true" /> {s.label}
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={`Coverage of ${rows.length} target attributes; exact numbers in the table below`}>
        {rows.map((row, i) => {
          const total = row.value + row.empty + row.null + row.error;
          const y = i * ROW_HEIGHT + 2;
          let x = LABEL_WIDTH;
          const percent = total === 0 ? 0 : Math.round((row.value / total) * 100);
          return (
            <g key={row.target} className="coverage-row">
              <title>
                {`${row.target}: ${SEGMENTS.map((s) => `${s.label.toLowerCase()} ${row[s.key]}`).join(', ')}`}
              </title>
              <text x={LABEL_WIDTH - 8} y={y + ROW_HEIGHT / 2 + 4} textAnchor="end" className="coverage-label">
                {shortTarget(row.target)}
              </text>
              <rect x={LABEL_WIDTH} y={y + 3} width={BAR_WIDTH} height={ROW_HEIGHT - 8} className="coverage-track" />
              {total > 0 &&
                SEGMENTS.map((s) => {
                  const width = (row[s.key] / total) * BAR_WIDTH;
                  const rect = width > 0 ? <rect key={s.key} x={x} y={y + 3} width={width} height={ROW_HEIGHT - 8} className={`coverage-${s.key}`} /> : null;
                  x += width;
                  return rect;
                })}
              <text x={LABEL_WIDTH + BAR_WIDTH + 8} y={y + ROW_HEIGHT / 2 + 4} className="coverage-percent">
                {percent}% value
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>Show as a table</summary>
        <table className="coverage-table">
          <thead>
            <tr>
              <th scope="col">Target attribute</th>
              {SEGMENTS.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.target}>
                <th scope="row">{row.target}</th>
                {SEGMENTS.map((s) => (
                  <td key={s.key}>{formatCount(row[s.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
