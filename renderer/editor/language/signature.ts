import type { FunctionInfo } from '../../../shared/expressions/index.ts';
import { findFunction, functionDocs, parameterDocs, signatureLabel } from './catalogue-docs.ts';
import { cursorContext } from './cursor.ts';

interface SignatureHelp {
  fn: FunctionInfo;
  label: string;
  documentation: string;
  parameters: { label: [number, number]; documentation: string }[];
  activeParameter: number;
}

/**
 * Signature help for the innermost call the cursor is in. A repeating last parameter (Join's sources,
 * Coalesce's values) stays active for every further argument; Switch alternates key and value.
 */
export function signatureAt(text: string, offset: number): SignatureHelp | null {
  const context = cursorContext(text, offset);
  const call = context.call;
  if (!call || !call.name) return null;
  const fn = findFunction(call.name);
  if (!fn) return null;
  const { label, parameters } = signatureLabel(fn);
  return {
    fn,
    label,
    documentation: functionDocs(fn),
    parameters: parameters.map((p) => ({ label: [p.start, p.end], documentation: parameterDocs(p.param) })),
    activeParameter: activeParameter(fn, call.argIndex),
  };
}

export function activeParameter(fn: FunctionInfo, argIndex: number): number {
  const count = fn.params.length;
  if (count === 0) return 0;
  if (argIndex < count) return argIndex;
  const repeating = fn.params.filter((p) => p.repeatable).length;
  if (repeating === 0) return count - 1;
  // The repeating parameters cycle together: Switch(source, default, key, value, key, value …).
  const firstRepeating = count - repeating;
  return firstRepeating + ((argIndex - firstRepeating) % repeating);
}
