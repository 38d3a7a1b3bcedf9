import { formatDuration, polyline, timelinePoints } from './timeline.ts';
import type { AuditRow } from './types.ts';

const W = 320;
const H = 90;

/** Objects finished over the cycle, with failures as a second line: where the cycle slowed or failed. */
export function TimelineChart({ rows }: { rows: readonly AuditRow[] }) {
  if (rows.length === 0) return null;
  const points = timelinePoints(rows);
  const last = points[points.length - 1]!;
  return (
    <figure className="prov-timeline">
      <svg viewBox={`-2 -2 ${W + 4} ${H + 4}`} width={W} height={H} role="img" aria-label={`${last.done} objects over ${formatDuration(last.atMs)}, ${last.failed} failed`}>
        <line x1={0} y1={H} x2={W} y2={H} className="prov-axis" />
        <polyline points={polyline(points, (p) => p.done, W, H)} className="prov-line-done" fill="none" />
        {last.failed > 0 && <polyline points={polyline(points, (p) => p.failed, W, H)} className="prov-line-failed" fill="none" />}
      </svg>
      <figcaption className="muted">
        Objects processed over {formatDuration(last.atMs)}
        {last.failed > 0 ? ` · failures in red` : ''}
      </figcaption>
    </figure>
  );
}
