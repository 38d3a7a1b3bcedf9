/**
 * Token bucket for vendor rate limits: `burst` requests at once, refilled at `requestsPerSecond`. When empty the server
 * answers 429 with Retry-After (RFC 6585 §4 and RFC 9110 §10.2.3; Microsoft Learn "Application provisioning in
 * quarantine status").
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = clock();
  }

  /** Takes one token; returns 0 when allowed, otherwise the whole seconds to wait for the next token. */
  take(): number {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond));
  }
}
