import type { AuditRow } from './types.ts';

interface TimelinePoint {
  /** ms since the cycle started */
  atMs: number;
  /** objects finished by then */
  done: number;
  failed: number;
}

/**
 * Objects finished over time, from each step event's start and duration (both measured from the start of
 * the cycle): one point per finished object, in the order they finished, as a cumulative count.
 */
export function timelinePoints(rows: readonly AuditRow[]): TimelinePoint[] {
  const ends = rows.map((r) => ({ at: r.startedMs + r.durationMs, failed: r.status === 'failure' })).sort((a, b) => a.at - b.at);
  const points: TimelinePoint[] = [{ atMs: 0, done: 0, failed: 0 }];
  let failed = 0;
  ends.forEach((end, i) => {
    if (end.failed) failed += 1;
    points.push({ atMs: end.at, done: i + 1, failed });
  });
  return points;
}

/** An SVG polyline's points for the series, scaled into width × height (y grows downward). */
export function polyline(points: readonly TimelinePoint[], pick: (p: TimelinePoint) => number, width: number, height: number): string {
  const maxX = Math.max(1, ...points.map((p) => p.atMs));
  const maxY = Math.max(1, ...points.map((p) => p.done));
  // a step line: the count holds until the next object finishes
  const coords: string[] = [];
  let prevY: number | null = null;
  for (const p of points) {
    const x = (p.atMs / maxX) * width;
    const y = height - (pick(p) / maxY) * height;
    if (prevY !== null) coords.push(`${x.toFixed(1)},${prevY.toFixed(1)}`);
    coords.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    prevY = y;
  }
  return coords.join(' ');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const formatCount = (n: number) => n.toLocaleString('en-US');

/** Entra's provisioning-log words for the engine's actions. */
const actionLabels: Record<string, string> = {
  create: 'Create',
  update: 'Update',
  deactivate: 'Disable',
  delete: 'Delete',
  none: 'No change',
  skip: 'Skip',
  error: 'Error',
  'link-manager': 'Update manager reference',
};
export const actionLabel = (action: string) => actionLabels[action] ?? action;

export const statusLabels = { success: 'Success', failure: 'Failure', skipped: 'Skipped' } as const;

/** Entra's names for the steps of one provisioning-log entry. */
export const stepLabels: Record<string, string> = {
  'Test connection': 'Test connection',
  Import: 'Import user',
  Scope: 'Determine if user is in scope',
  Match: 'Match user between source and target system',
  Action: 'Perform action',
  Reference: 'Update references (manager)',
};
