import { useMemo } from 'react';
import { tokenizeJson } from './json-highlight.ts';

/** JSON pretty-printed with a class per token kind (preview.css colours them for light and dark). */
export function HighlightedJson({ value, label }: { value: unknown; label: string }) {
  const tokens = useMemo(() => tokenizeJson(JSON.stringify(value, null, 2) ?? 'undefined'), [value]);
  return (
    <pre className="json preview-json" aria-label={label}>
      <code>
        {tokens.map((token, index) =>
          token.kind === 'whitespace' || token.kind === 'text' ? (
            token.text
          ) : (
            <span key={index} className={`json-${token.kind}`}>
              {token.text}
            </span>
          ),
        )}
      </code>
    </pre>
  );
}
