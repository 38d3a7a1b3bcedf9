import { abortableSleep } from './retry.ts';

/**
 * A documented request budget ("N units per window") kept by waiting before the call that would exceed it, so Graph
 * never has to answer 429: the reporting API and provisionOnDemand count calls (5 per 10 s, each costing 1), and the
 * directory read counts Graph's resource units (graph-throttling.ts), where a call costs what its path and query cost.
 */
export class RequestBudget {
  private readonly sent: { at: number; cost: number }[] = [];
  private spent = 0;

  constructor(
    private readonly limit: { readonly calls: number; readonly windowMs: number },
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  /**
   * Resolves when one more call costing `cost` units fits in the window; `onWait` hears how many seconds that takes.
   * A call dearer than the whole window waits for an empty window, so it is never refused.
   */
  async turn(signal?: AbortSignal, onWait?: (seconds: number) => void, cost = 1): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && now - this.sent[0]!.at >= this.limit.windowMs) this.spent -= this.sent.shift()!.cost;
      if (this.sent.length === 0 || this.spent + cost <= this.limit.calls) {
        this.sent.push({ at: now, cost });
        this.spent += cost;
        return;
      }
      // Wait until enough of the oldest calls leave the window for this one to fit.
      let freed = this.limit.calls - this.spent;
      let last = -1;
      while (freed < cost && last < this.sent.length - 1) freed += this.sent[++last]!.cost;
      const wait = this.limit.windowMs - (now - this.sent[last]!.at);
      onWait?.(wait / 1000);
      await this.sleep(wait, signal);
    }
  }

  /**
   * The call `turn` let go has been answered: count it from now. The server counts a call when it arrives, after `turn`
   * let it go, so a window measured from `turn` alone can end just before the server's does.
   */
  answered(): void {
    const last = this.sent.length - 1;
    if (last >= 0) this.sent[last]!.at = Math.max(this.sent[last]!.at, this.now());
  }
}
