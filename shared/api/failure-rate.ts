/**
 * The mock server's "Failure rate" is a percentage wherever an admin types or reads it: the Mock server screen,
 * `scim-planner mock-server --failure-rate` and the docs. The API and the server carry the same share as a
 * probability from 0 to 1 (`failureRate`); these two functions are the only conversions between them.
 */

type ParsedFailureRate = { ok: true; rate: number } | { ok: false; message: string };

/**
 * "5", "5%" or "0.5%" → a share of requests (0.05, 0.005). A bare number between 0 and 1 is refused rather than
 * guessed: it is how the CLI's old 0..1 form looked, so "0.05" could mean 5% or 0.05%. Empty means 0.
 */
export function parseFailurePercent(text: string, label: string): ParsedFailureRate {
  const trimmed = text.trim();
  const withSign = trimmed.endsWith('%');
  const digits = withSign ? trimmed.slice(0, -1).trim() : trimmed;
  const percent = digits === '' ? 0 : Number(digits);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    return { ok: false, message: `${label} is a percentage from 0 to 100 (for example 5 or 5%), got "${text}".` };
  }
  if (!withSign && percent > 0 && percent < 1) {
    return {
      ok: false,
      message: `${label} is a percentage from 0 to 100, so "${text}" is ambiguous: it looks like the old 0 to 1 form. Write ${Math.round(percent * 1000) / 10} for ${Math.round(percent * 1000) / 10}%, or ${digits}% if you mean ${digits} percent.`,
    };
  }
  return { ok: true, rate: percent / 100 };
}

/** A share of requests as the percentage an admin reads: 0.05 → "5", 0.005 → "0.5%". */
export function failurePercentText(rate: number): string {
  const percent = Math.round(rate * 100_000) / 1000;
  return percent > 0 && percent < 1 ? `${percent}%` : String(percent);
}
