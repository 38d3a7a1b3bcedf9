import { abortableSleep } from './retry.ts';

/**
 * A documented request budget ("N calls per window") kept by waiting before the call that would exceed it, so Graph
 * never has to answer 429: the reporting API (5 per 10 s) and provisionOnDemand (5 per 10 s) both use it.
 */
export class RequestBudget {
  private readonly sent: number[] = [];

  constructor(
    private readonly limit: { readonly calls: number; readonly windowMs: number },
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  /** Resolves when one more call fits in the window; `onWait` hears how many seconds that takes. */
  async turn(signal?: AbortSignal, onWait?: (seconds: number) => void): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && now - this.sent[0]! >= this.limit.windowMs) this.sent.shift();
      if (this.sent.length < this.limit.calls) {
        this.sent.push(now);
        return;
      }
      const wait = this.limit.windowMs - (now - this.sent[0]!);
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
    if (last >= 0) this.sent[last] = Math.max(this.sent[last]!, this.now());
  }
}
