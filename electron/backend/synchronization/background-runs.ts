/**
 * The Graph runs the app starts in the background (expression checks, logs comparisons): each has a live status the
 * progress events carry, a controller to cancel it, and its end to wait for when the backend closes.
 */
import { UserFacingError } from '../errors.ts';

interface Run<S> {
  status: S;
  controller: AbortController;
  settled: Promise<void>;
}

export class BackgroundRuns<S extends { state: string }> {
  private readonly runs = new Map<string, Run<S>>();

  /** `what` names the kind of run in the not-found message ("check", "logs comparison"). */
  constructor(private readonly what: string) {}

  add(id: string, run: Run<S>): void {
    this.runs.set(id, run);
  }

  status(id: string): S {
    const run = this.runs.get(id);
    if (!run) throw new UserFacingError('not-found', `There is no ${this.what} ${id}.`);
    return { ...run.status };
  }

  /** false when the run is unknown or no longer running */
  cancel(id: string): boolean {
    const run = this.runs.get(id);
    if (!run || run.status.state !== 'running') return false;
    run.controller.abort();
    return true;
  }

  /** On backend close: running ones stop (keeping what they did, while the workspace is still open). */
  async close(): Promise<void> {
    for (const run of this.runs.values()) run.controller.abort();
    await Promise.all([...this.runs.values()].map((run) => run.settled));
  }
}
