import { COMPARE_MODES } from '../../../shared/expressions/catalogue.ts';
import { functionCatalogue } from '../../../shared/expressions/index.ts';
import { findFunction, functionDocs, functionSnippet, signatureLabel } from './catalogue-docs.ts';
import { cursorContext } from './cursor.ts';

/** A source attribute as the editor knows it (from mappings.sourceSchema). */
export interface SchemaAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  availability: 'default' | 'unverified' | 'tenant';
  inSnapshot: boolean;
  notes: string | null;
}

interface CompletionEntry {
  label: string;
  kind: 'function' | 'attribute' | 'keyword';
  insertText: string;
  /** insertText has ${1:…} tab stops */
  snippet: boolean;
  detail: string;
  documentation: string;
  /** the text [start, end) the entry replaces */
  start: number;
  end: number;
  /** orders entries: attributes present in the snapshot first */
  sortText: string;
}

const WORD = /[A-Za-z0-9_]/;

export function attributeDetail(attribute: SchemaAttribute): string {
  const facts = [attribute.type, attribute.multiValued ? 'multi-valued' : null, attribute.availability === 'unverified' ? 'unverified source' : null, attribute.availability === 'tenant' ? 'directory extension' : null];
  return facts.filter(Boolean).join(', ');
}

/**
 * Completion at the cursor: attribute names inside [ ], function snippets elsewhere, and the compare
 * modes in InStr's fourth argument. Nothing inside a string literal.
 */
export function completionsAt(text: string, offset: number, schema: readonly SchemaAttribute[]): CompletionEntry[] {
  const context = cursorContext(text, offset);
  if (context.kind === 'string') return [];
  if (context.kind === 'attribute') {
    // Replace the whole name up to "]" (Monaco's auto-closing usually typed it already), and add the
    // "]" when it is missing.
    let end = offset;
    while (end < text.length && !/[\][()",\s]/.test(text[end]!)) end++;
    const closed = text[end] === ']';
    return schema.map((attribute) => ({
      label: attribute.name,
      kind: 'attribute' as const,
      insertText: closed ? attribute.name : `${attribute.name}]`,
      snippet: false,
      detail: attributeDetail(attribute),
      documentation: attribute.notes ?? '',
      start: context.start,
      end,
      sortText: `${attribute.inSnapshot ? '0' : '1'}${attribute.name.toLowerCase()}`,
    }));
  }
  let end = offset;
  while (end < text.length && WORD.test(text[end]!)) end++;
  // A function already followed by "(" is being renamed: insert only its name.
  let after = end;
  while (after < text.length && /\s/.test(text[after]!)) after++;
  const renaming = text[after] === '(';
  const entries: CompletionEntry[] = functionCatalogue.map((fn) => ({
    label: fn.name,
    kind: 'function' as const,
    insertText: renaming ? fn.name : functionSnippet(fn),
    snippet: !renaming,
    detail: signatureLabel(fn).label,
    documentation: functionDocs(fn),
    start: context.wordStart,
    end,
    sortText: `2${fn.name.toLowerCase()}`,
  }));
  const call = context.call && findFunction(context.call.name);
  if (call?.name === 'InStr' && context.call!.argIndex === 3) {
    for (const mode of COMPARE_MODES) {
      entries.push({
        label: mode,
        kind: 'keyword',
        insertText: mode,
        snippet: false,
        detail: 'InStr compareType',
        documentation: mode === 'vbTextCompare' ? 'Compare ignoring case.' : 'Compare exactly (case-sensitive).',
        start: context.wordStart,
        end,
        sortText: `1${mode}`,
      });
    }
  }
  return entries;
}
