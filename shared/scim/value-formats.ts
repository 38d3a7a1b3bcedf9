/**
 * Value checks that run on data from the wire: every one is linear in the value's length, so no userName
 * or attribute value can stall the mock server or a preview (issue 19). Vendor profile patterns run on
 * re2js, the linear-time engine the expression language uses; a pattern it cannot run is refused when the
 * profile is loaded.
 */
import { RE2JS } from 're2js';

const WHITESPACE = /\s/;

/**
 * `local@domain.tld`: no white space, exactly one `@` with text before it, and a dot in the domain with text on
 * both sides. The same language as /^[^\s@]+@[^\s@]+\.[^\s@]+$/, decided in one pass instead of by
 * backtracking (that expression takes seconds on a long run of dots).
 */
export function isEmailAddress(value: string): boolean {
  if (WHITESPACE.test(value)) return false;
  const at = value.indexOf('@');
  if (at < 1 || value.indexOf('@', at + 1) !== -1) return false;
  const domain = value.slice(at + 1);
  const dot = domain.indexOf('.', 1);
  return dot !== -1 && dot < domain.length - 1;
}

type ValuePatternResult = { ok: true; pattern: RE2JS } | { ok: false; message: string };

const compiled = new Map<string, ValuePatternResult>();

/**
 * Compiles a regular expression from a vendor profile (JavaScript syntax) for re2js. Lookarounds and
 * backreferences have no linear-time implementation, so such patterns are refused with re2js's reason.
 */
export function compileValuePattern(source: string, options: { ignoreCase?: boolean } = {}): ValuePatternResult {
  const cacheKey = `${options.ignoreCase ? 'i' : '-'}${source}`;
  const known = compiled.get(cacheKey);
  if (known) return known;
  const result = compileUncached(source, options.ignoreCase === true);
  compiled.set(cacheKey, result);
  return result;
}

function compileUncached(source: string, ignoreCase: boolean): ValuePatternResult {
  try {
    // Compiling runs nothing: it only tells a malformed expression from one re2js cannot run.
    new RegExp(source);
  } catch {
    return { ok: false, message: 'not a valid regular expression' };
  }
  try {
    return { ok: true, pattern: RE2JS.compile(RE2JS.translateRegExp(source), ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cannot run on the linear-time regular expression engine (${reason}); lookarounds and backreferences are not supported` };
  }
}

/** Does `value` contain a match of the pattern (RegExp.test semantics)? False for a pattern re2js refuses. */
export function matchesValuePattern(value: string, source: string, options: { ignoreCase?: boolean } = {}): boolean {
  const result = compileValuePattern(source, options);
  return result.ok && result.pattern.test(value);
}
