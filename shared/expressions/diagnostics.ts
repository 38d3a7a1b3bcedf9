/** What the parser and the checker report; spans are UTF-16 offsets into the expression text. */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  kind: 'parse' | 'validation';
  code: string;
  message: string;
  start: number;
  end: number;
  /** replacement text or a hint an editor can offer as a quick-fix */
  suggestion?: string;
}

export interface RuntimeError {
  kind: 'runtime';
  code: string;
  message: string;
  start: number;
  end: number;
}

/**
 * Raised inside evaluation for the runtime failures Microsoft Learn "Reference for writing expressions for attribute
 * mappings" describes (invalid date, bad index, escrow ...). Program.evaluate turns it into `{ ok: false, error }`;
 * anything else thrown is a bug and propagates.
 */
export class EvalError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }

  toRuntimeError(): RuntimeError {
    return { kind: 'runtime', code: this.code, message: this.message, start: this.start, end: this.end };
  }
}

/** Raised by the lexer and parser; the first one ends parsing (the rest of the text is unreliable). */
export class ParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly start: number,
    readonly end: number,
    readonly suggestion?: string,
  ) {
    super(message);
  }

  toDiagnostic(): Diagnostic {
    const diagnostic: Diagnostic = { severity: 'error', kind: 'parse', code: this.code, message: this.message, start: this.start, end: this.end };
    if (this.suggestion !== undefined) diagnostic.suggestion = this.suggestion;
    return diagnostic;
  }
}

/** Levenshtein distance, for "did you mean" suggestions on function and attribute names. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate within a distance that scales with the name's length, compared case-insensitively. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
