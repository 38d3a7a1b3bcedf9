import { findFunction, functionDocs } from './catalogue-docs.ts';
import { attributeDetail, type SchemaAttribute } from './completion.ts';
import { tokenAt } from './cursor.ts';

interface HoverInfo {
  start: number;
  end: number;
  /** Markdown paragraphs */
  contents: string[];
}

interface HoverContext {
  schema: ReadonlyMap<string, SchemaAttribute>;
  /** the selected user's source object, to show the attribute's value */
  source: Readonly<Record<string, unknown>> | null;
  /** how the selected user is named in the hover ("Zoë Adams") */
  userLabel: string | null;
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return '_null (no value)_';
  if (value === '') return '_empty string_';
  return `\`${JSON.stringify(value)}\``;
}

/** Hover docs from the function catalogue, and for [attributes] their type and the selected user's value. */
export function hoverAt(text: string, offset: number, context: HoverContext): HoverInfo | null {
  const token = tokenAt(text, offset);
  if (!token) return null;
  if (token.kind === 'function') {
    const fn = findFunction(token.name);
    if (!fn) return { start: token.start, end: token.end, contents: [`**${token.name}** is not a function of Entra’s expression language.`] };
    const contents = [functionDocs(fn)];
    if (fn.name !== token.name) contents.push(`Written \`${fn.name}\` in Microsoft’s documentation.`);
    return { start: token.start, end: token.end, contents };
  }
  if (token.kind === 'attribute') {
    const attribute = context.schema.get(token.name);
    const contents = [attribute ? `**[${attribute.name}]** ${attributeDetail(attribute)}` : `**[${token.name}]** is not in the source schema.`];
    if (attribute?.notes) contents.push(attribute.notes);
    if (context.source) contents.push(`${context.userLabel ?? 'Selected user'}: ${describeValue(context.source[token.name])}`);
    return { start: token.start, end: token.end, contents };
  }
  return null;
}
