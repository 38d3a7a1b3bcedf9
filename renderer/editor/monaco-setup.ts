/**
 * Monaco, loaded from the package (never a CDN) and only when an expression editor first opens, so the
 * rest of the app does not pay for it. edcore.main brings the editor and its contributions without
 * Monaco's bundled languages; the one worker Monaco needs (the editor worker: diffing, word ranges) is
 * bundled by Vite from `?worker` and served from 'self', as the CSP's worker-src allows. No TypeScript or
 * JSON workers: the only language is ours, and its service runs here on the main thread.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/edcore.main.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import type { Diagnostic } from '../../shared/expressions/index.ts';
import { completionsAt, type SchemaAttribute } from './language/completion.ts';
import { quickFixesFor } from './language/diagnostics.ts';
import { formatExpression } from './language/format.ts';
import { hoverAt } from './language/hover.ts';
import { LANGUAGE_ID, languageConfiguration, monarchLanguage } from './language/monarch.ts';
import { signatureAt } from './language/signature.ts';

export type Monaco = typeof monaco;

/** What the providers need to know about one open editor; keyed by its model's URI. */
export interface EditorSession {
  schema: readonly SchemaAttribute[];
  schemaByName: ReadonlyMap<string, SchemaAttribute>;
  source: Readonly<Record<string, unknown>> | null;
  userLabel: string | null;
  diagnostics: readonly Diagnostic[];
}

export const sessions = new Map<string, EditorSession>();

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: () => new EditorWorker({ name: 'monaco-editor-worker' }),
};

export const THEMES = { light: 'entra-expression-light', dark: 'entra-expression-dark' } as const;

monaco.editor.defineTheme(THEMES.light, {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'keyword.function', foreground: '795E26', fontStyle: 'bold' },
    { token: 'identifier.unknown-function', foreground: 'B3261E' },
    { token: 'variable', foreground: '0F6CBD' },
    { token: 'string.escape', foreground: 'A15C00' },
    { token: 'constant', foreground: '6F42C1' },
  ],
  colors: {},
});
monaco.editor.defineTheme(THEMES.dark, {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword.function', foreground: 'DCDCAA', fontStyle: 'bold' },
    { token: 'identifier.unknown-function', foreground: 'F2857C' },
    { token: 'variable', foreground: '4EA1F3' },
    { token: 'string.escape', foreground: 'F0B35A' },
    { token: 'constant', foreground: 'C586C0' },
  ],
  colors: {},
});

monaco.languages.register({ id: LANGUAGE_ID, aliases: ['Entra expression'] });
monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage);
monaco.languages.setLanguageConfiguration(LANGUAGE_ID, languageConfiguration);

const sessionOf = (model: monaco.editor.ITextModel) => sessions.get(model.uri.toString());

function rangeOf(model: monaco.editor.ITextModel, start: number, end: number): monaco.IRange {
  const a = model.getPositionAt(start);
  const b = model.getPositionAt(end);
  return { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column };
}

monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
  triggerCharacters: ['['],
  provideCompletionItems(model, position) {
    const session = sessionOf(model);
    const entries = completionsAt(model.getValue(), model.getOffsetAt(position), session?.schema ?? []);
    const kinds = { function: monaco.languages.CompletionItemKind.Function, attribute: monaco.languages.CompletionItemKind.Field, keyword: monaco.languages.CompletionItemKind.Keyword };
    return {
      suggestions: entries.map((entry) => ({
        label: entry.label,
        kind: kinds[entry.kind],
        insertText: entry.insertText,
        ...(entry.snippet ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
        detail: entry.detail,
        documentation: { value: entry.documentation },
        range: rangeOf(model, entry.start, entry.end),
        sortText: entry.sortText,
        // Accepting a function snippet opens signature help on its first argument.
        ...(entry.snippet ? { command: { id: 'editor.action.triggerParameterHints', title: 'Parameter hints' } } : {}),
      })),
    };
  },
});

monaco.languages.registerSignatureHelpProvider(LANGUAGE_ID, {
  signatureHelpTriggerCharacters: ['(', ','],
  signatureHelpRetriggerCharacters: [','],
  provideSignatureHelp(model, position) {
    const help = signatureAt(model.getValue(), model.getOffsetAt(position));
    if (!help) return null;
    return {
      value: {
        signatures: [
          {
            label: help.label,
            documentation: { value: help.fn.description },
            parameters: help.parameters.map((p) => ({ label: p.label, documentation: p.documentation })),
          },
        ],
        activeSignature: 0,
        activeParameter: help.activeParameter,
      },
      dispose() {},
    };
  },
});

monaco.languages.registerHoverProvider(LANGUAGE_ID, {
  provideHover(model, position) {
    const session = sessionOf(model);
    const hover = hoverAt(model.getValue(), model.getOffsetAt(position), {
      schema: session?.schemaByName ?? new Map(),
      source: session?.source ?? null,
      userLabel: session?.userLabel ?? null,
    });
    if (!hover) return null;
    return { range: rangeOf(model, hover.start, hover.end), contents: hover.contents.map((value) => ({ value })) };
  },
});

monaco.languages.registerCodeActionProvider(
  LANGUAGE_ID,
  {
    provideCodeActions(model, range, context) {
      const session = sessionOf(model);
      if (!session) return { actions: [], dispose() {} };
      const start = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
      const end = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
      const actions = quickFixesFor(session.diagnostics, start, end).map((fix) => ({
        title: fix.title,
        kind: 'quickfix',
        isPreferred: fix.preferred,
        diagnostics: context.markers.filter((m) => m.code === fix.diagnostic.code),
        edit: { edits: [{ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: rangeOf(model, fix.start, fix.end), text: fix.newText } }] },
      }));
      return { actions, dispose() {} };
    },
  },
  { providedCodeActionKinds: ['quickfix'] },
);

monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
  displayName: 'Entra expression',
  provideDocumentFormattingEdits(model) {
    const result = formatExpression(model.getValue());
    return result.ok ? [{ range: model.getFullModelRange(), text: result.text }] : [];
  },
});

export { monaco };
