import type { languages } from 'monaco-editor';
import { COMPARE_MODES, FLOW_KEYWORDS } from '../../../shared/expressions/catalogue.ts';
import { functionCatalogue } from '../../../shared/expressions/index.ts';

export const LANGUAGE_ID = 'entra-expression';

/**
 * Highlighting for Entra's attribute-mapping expressions (Microsoft Learn "Reference for writing expressions for
 * attribute mappings", "Syntax overview"): function names from the catalogue, [attribute] references, double-quoted
 * strings with \" and \\ escapes, numbers (decimal, VB &H hex) and the comparison operators.
 */
export const monarchLanguage: languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  ignoreCase: true,
  functions: functionCatalogue.map((f) => f.name),
  constants: [...COMPARE_MODES, ...FLOW_KEYWORDS],
  brackets: [{ open: '(', close: ')', token: 'delimiter.parenthesis' }],
  tokenizer: {
    root: [
      [/\s+/, 'white'],
      [/\[[^\]]*\]?/, 'variable'],
      [/"/, { token: 'string.quote', bracket: '@open', next: '@string' }],
      [/&[hH][0-9a-fA-F]+/, 'number.hex'],
      [/-?\d+(\.\d+)?/, 'number'],
      [/[A-Za-z][A-Za-z0-9_]*(?=\s*\()/, { cases: { '@functions': 'keyword.function', '@default': 'identifier.unknown-function' } }],
      [/[A-Za-z][A-Za-z0-9_]*/, { cases: { '@constants': 'constant', '@default': 'identifier' } }],
      [/<>|<=|>=|<|>|=/, 'operator'],
      [/[()]/, '@brackets'],
      [/,/, 'delimiter'],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/\\["\\]/, 'string.escape'],
      [/\\./, 'string.escape.lenient'],
      [/"/, { token: 'string.quote', bracket: '@close', next: '@pop' }],
    ],
  },
};

export const languageConfiguration: languages.LanguageConfiguration = {
  brackets: [
    ['(', ')'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']', notIn: ['string'] },
    { open: '"', close: '"', notIn: ['string'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"' },
  ],
  wordPattern: /[A-Za-z][A-Za-z0-9_]*/,
};
