import { describe, expect, it } from 'vitest';
import { abortableSleep, backoffMs, retryAfterMs } from '../../../electron/backend/http/retry.ts';

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(' 0 ')).toBe(0);
  });

  it('reads an HTTP-date as the time left until it, never negative', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:49:30 GMT');
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(7000);
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:00 GMT', now)).toBe(0);
  });

  it('is null when absent or unreadable, so the caller backs off instead', () => {
    for (const header of [null, undefined, '', 'soon', '-5', '2.5.1']) expect(retryAfterMs(header)).toBeNull();
  });
});

describe('backoffMs', () => {
  it('doubles per attempt up to the cap', () => {
    expect([0, 1, 2, 3, 6].map((attempt) => backoffMs(attempt, 1000, 32_000))).toEqual([1000, 2000, 4000, 8000, 32_000]);
  });
});

describe('abortableSleep', () => {
  it('waits the given time', async () => {
    const started = performance.now();
    await abortableSleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the signal’s reason as soon as it aborts, long before the delay', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the admin');
    const started = performance.now();
    const sleeping = abortableSleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(sleeping).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already'));
    await expect(abortableSleep(60_000, controller.signal)).rejects.toThrow('already');
  });
});
