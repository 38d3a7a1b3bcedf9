import { compileExpression, type CompileResult, type Diagnostic, type Program } from '../../../shared/expressions/index.ts';

export interface Analysis {
  diagnostics: Diagnostic[];
  /** the compiled program, when the text has no error (warnings allowed) */
  program: Program | null;
}

/**
 * Compiles the text once per edit: the same compile gives the markers and the program the live
 * results run (no second parse). Attribute names are checked only when the schema is known.
 */
export function analyse(text: string, schemaNames: ReadonlySet<string> | null, mapping?: { matchingPriority?: number; flowType?: string }): Analysis {
  const result: CompileResult = compileExpression(text, {
    ...(schemaNames ? { schema: schemaNames } : {}),
    ...(mapping ? { mapping } : {}),
  });
  return { diagnostics: result.diagnostics, program: result.ok ? result.program : null };
}

/**
 * A span Monaco can underline: an error at a zero-width position (a missing ")" at the end) is widened
 * to the character before it, or after it at the start of the text.
 */
export function markerSpan(diagnostic: Pick<Diagnostic, 'start' | 'end'>, textLength: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(diagnostic.start, textLength));
  const end = Math.max(start, Math.min(diagnostic.end, textLength));
  if (end > start) return { start, end };
  if (start > 0) return { start: start - 1, end: start };
  return { start: 0, end: Math.min(1, textLength) };
}

interface QuickFix {
  title: string;
  start: number;
  end: number;
  newText: string;
  /** the diagnostic it fixes, so the editor can attach the marker */
  diagnostic: Diagnostic;
  preferred: boolean;
}

/** Quick fixes from the diagnostics' `suggestion`: near-miss function and attribute names, casing, quoting. */
export function quickFixesFor(diagnostics: readonly Diagnostic[], rangeStart: number, rangeEnd: number): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.suggestion === undefined) continue;
    if (diagnostic.end < rangeStart || diagnostic.start > rangeEnd) continue;
    const suggestion = diagnostic.suggestion;
    const title = fixTitle(diagnostic.code, suggestion);
    fixes.push({ title, start: diagnostic.start, end: diagnostic.end, newText: suggestion, diagnostic, preferred: diagnostic.code !== 'UNKNOWN_IDENTIFIER' });
  }
  return fixes;
}

function fixTitle(code: string, suggestion: string): string {
  switch (code) {
    case 'UNKNOWN_FUNCTION':
      return `Change to ${suggestion}`;
    case 'FUNCTION_CASE':
      return `Write it ${suggestion}`;
    case 'UNKNOWN_ATTRIBUTE':
      return `Change to ${suggestion}`;
    case 'UNKNOWN_IDENTIFIER':
      return `Quote it as text: ${suggestion}`;
    case 'SINGLE_QUOTED_STRING':
      return `Use double quotes: ${suggestion}`;
    case 'ARITY':
      return 'Insert the empty dateTimeStyles argument';
    default:
      return `Replace with ${suggestion}`;
  }
}
