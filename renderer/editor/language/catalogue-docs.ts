import { functionCatalogue, type FunctionInfo, type ParamInfo } from '../../../shared/expressions/index.ts';

/**
 * How the function table reads in the editor: signature labels, snippets and Markdown docs are all derived from
 * shared/expressions' one catalogue (one catalogue: nothing lists the functions twice).
 */

const byLowerName = new Map(functionCatalogue.map((f) => [f.name.toLowerCase(), f]));

/**
 * Case-insensitive like the engine's own lookup (Microsoft Learn "Reference for writing expressions for attribute
 * mappings": function names ignore case).
 */
export function findFunction(name: string): FunctionInfo | undefined {
  return byLowerName.get(name.toLowerCase());
}

function paramLabel(param: ParamInfo): string {
  const base = param.repeatable ? `${param.name}…` : param.name;
  return param.optional ? `[${base}]` : base;
}

interface SignatureLabel {
  label: string;
  /** [start, end) of each parameter's label inside `label`, for Monaco's parameter highlighting */
  parameters: { start: number; end: number; param: ParamInfo }[];
}

export function signatureLabel(fn: FunctionInfo): SignatureLabel {
  let label = `${fn.name}(`;
  const parameters: SignatureLabel['parameters'] = [];
  fn.params.forEach((param, i) => {
    if (i > 0) label += ', ';
    const text = paramLabel(param);
    parameters.push({ start: label.length, end: label.length + text.length, param });
    label += text;
  });
  label += `) → ${fn.returns}`;
  return { label, parameters };
}

/**
 * A completion snippet with a tab stop per required parameter (and one for a repeating parameter);
 * optional parameters are left for the admin to add, as the portal's examples do.
 */
export function functionSnippet(fn: FunctionInfo): string {
  const stops: string[] = [];
  for (let i = 0; i < fn.minArgs; i++) {
    const param = fn.params[Math.min(i, fn.params.length - 1)];
    const name = (param?.name ?? `value${i + 1}`).replace(/[$}\\]/g, '');
    stops.push(`\${${i + 1}:${name}}`);
  }
  return `${fn.name}(${stops.join(', ')})$0`;
}

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'number',
  boolean: 'Boolean',
  datetime: 'date',
  multi: 'multi-valued',
  any: 'any value',
  enum: 'keyword',
  roles: 'app role assignments',
};

/** Markdown for hover and completion docs: signature, description, parameters, first example. */
export function functionDocs(fn: FunctionInfo): string {
  const lines = ['```', signatureLabel(fn).label, '```', fn.description, ''];
  for (const param of fn.params) {
    lines.push(`- \`${paramLabel(param)}\` (${typeWords[param.type] ?? param.type}${param.optional ? ', optional' : ''}): ${param.description}`);
  }
  const example = fn.examples[0];
  if (example) lines.push('', `Example: \`${example.expression}\` → \`${example.result}\``);
  if (fn.nonDeterministic) lines.push('', 'Gives a new value on every evaluation.');
  if (fn.topLevelOnly) lines.push('', 'Must be the outermost function of the expression.');
  return lines.join('\n');
}

export function parameterDocs(param: ParamInfo): string {
  return `${param.description}${param.optional ? ' (optional)' : ''}`;
}
