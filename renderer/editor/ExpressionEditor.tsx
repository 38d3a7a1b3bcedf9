import { useEffect, useRef, useState } from 'react';
import { analyse, markerSpan } from './language/diagnostics.ts';
import { LANGUAGE_ID } from './language/monarch.ts';
import type { ExpressionInputProps } from './expression-input.tsx';
import type { editor as MonacoEditor } from 'monaco-editor';
import type * as MonacoSetup from './monaco-setup.ts';
import type { EditorSession, Monaco } from './monaco-setup.ts';

type Setup = typeof MonacoSetup;
let setupPromise: Promise<Setup> | null = null;
/** Monaco and the language registration load once, on first use. */
function loadMonaco(): Promise<Setup> {
  setupPromise ??= import('./monaco-setup.ts');
  return setupPromise;
}

const prefersDark = () => typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;

let modelCounter = 0;

/**
 * The Monaco expression editor: a thin shell over the pure language service (./language). Each edit
 * compiles the text once; the diagnostics become markers and the same compile goes to `onChange` for
 * the live results.
 */
export function ExpressionEditor(props: ExpressionInputProps) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const editorRef = useRef<{ monaco: Monaco; editor: MonacoEditor.IStandaloneCodeEditor; session: EditorSession; check(): void } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  const schemaNames = () => (latest.current.schema.length > 0 ? new Set(latest.current.schema.map((a) => a.name)) : null);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    loadMonaco().then(
      ({ monaco, sessions, THEMES }) => {
        if (disposed || !host.current) return;
        const uri = monaco.Uri.parse(`inmemory://expression/${++modelCounter}.entra`);
        const model = monaco.editor.createModel(latest.current.value, LANGUAGE_ID, uri);
        const session: EditorSession = { schema: [], schemaByName: new Map(), source: null, userLabel: null, diagnostics: [] };
        sessions.set(uri.toString(), session);
        const editor = monaco.editor.create(host.current, {
          model,
          theme: prefersDark() ? THEMES.dark : THEMES.light,
          minimap: { enabled: false },
          lineNumbers: 'off',
          glyphMargin: false,
          folding: false,
          wordWrap: 'on',
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fixedOverflowWidgets: true,
          renderLineHighlight: 'none',
          fontSize: 13,
          tabSize: 2,
          ariaLabel: latest.current.ariaLabel,
          quickSuggestions: { other: true, strings: false, comments: false },
          suggestOnTriggerCharacters: true,
          parameterHints: { enabled: true },
          bracketPairColorization: { enabled: true },
          matchBrackets: 'always',
          lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.OnCode },
        });
        editor.addAction({
          id: 'entra-expression.format',
          label: 'Format expression',
          keybindings: [monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF],
          contextMenuGroupId: '1_modification',
          run: (ed) => ed.getAction('editor.action.formatDocument')?.run(),
        });

        const check = () => {
          const text = model.getValue();
          const p = latest.current;
          const analysis = analyse(text, schemaNames(), p.mapping);
          session.diagnostics = analysis.diagnostics;
          monaco.editor.setModelMarkers(
            model,
            LANGUAGE_ID,
            analysis.diagnostics.map((d) => {
              const span = markerSpan(d, text.length);
              const a = model.getPositionAt(span.start);
              const b = model.getPositionAt(span.end);
              return {
                severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
                message: d.message,
                code: d.code,
                source: 'Entra expression',
                startLineNumber: a.lineNumber,
                startColumn: a.column,
                endLineNumber: b.lineNumber,
                endColumn: b.column,
              };
            }),
          );
          return { text, analysis };
        };
        editorRef.current = { monaco, editor, session, check: () => void check() };
        syncSession(session, latest.current);
        check();
        const subscription = model.onDidChangeContent(() => {
          const { text, analysis } = check();
          latest.current.onChange(text, analysis);
        });
        const themeQuery = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
        const onTheme = () => monaco.editor.setTheme(prefersDark() ? THEMES.dark : THEMES.light);
        themeQuery?.addEventListener('change', onTheme);
        cleanup = () => {
          themeQuery?.removeEventListener('change', onTheme);
          subscription.dispose();
          sessions.delete(uri.toString());
          editor.dispose();
          model.dispose();
          editorRef.current = null;
        };
      },
      (error: Error) => !disposed && setFailed(error.message),
    );
    return () => {
      disposed = true;
      cleanup();
    };
    // The editor is created once; later prop changes are pushed in by the effects below.
  }, []);

  // A value set from outside (Format button, undo of the row) replaces the text as one undoable edit.
  useEffect(() => {
    const current = editorRef.current;
    if (!current) return;
    const model = current.editor.getModel();
    if (model && model.getValue() !== props.value) {
      current.editor.pushUndoStop();
      current.editor.executeEdits('external', [{ range: model.getFullModelRange(), text: props.value }]);
      current.editor.pushUndoStop();
    }
  }, [props.value]);

  // Schema, user and row rules change the hovers and the markers without an edit.
  useEffect(() => {
    const current = editorRef.current;
    if (!current) return;
    syncSession(current.session, props);
    current.check();
  }, [props.schema, props.hoverSource, props.userLabel, props.mapping.matchingPriority, props.mapping.flowType]);

  if (failed) return <p className="error-text">The expression editor could not load: {failed}</p>;
  return <div ref={host} className="expression-editor" data-testid="expression-editor" />;
}

function syncSession(session: EditorSession, props: ExpressionInputProps): void {
  session.schema = props.schema;
  session.schemaByName = new Map(props.schema.map((a) => [a.name, a]));
  session.source = props.hoverSource;
  session.userLabel = props.userLabel;
}
