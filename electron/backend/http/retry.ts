import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waiting before a retry, for the Graph reader and the SCIM client alike: what the server asked for in
 * Retry-After, else exponential backoff, and a sleep that a cancelled job cuts short.
 */

/**
 * Retry-After in ms, or null when absent or unreadable. RFC 9110 §10.2.3 allows delay-seconds or an
 * HTTP-date; a date must name its day or month, since Date.parse also reads bare numbers like "2" as dates.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff for retry number `attempt` (0-based): initial · 2^attempt, never above the cap. */
export function backoffMs(attempt: number, initialMs: number, capMs = Number.POSITIVE_INFINITY): number {
  return Math.min(capMs, initialMs * 2 ** attempt);
}

/** Waits `ms`; when the signal aborts first, rejects at once with the signal's reason. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
