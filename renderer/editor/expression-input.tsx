import { createContext, useContext, type ComponentType } from 'react';
import type { Analysis } from './language/diagnostics.ts';
import type { SchemaAttribute } from './language/completion.ts';

/** What any expression input (Monaco, or a plain text area where Monaco cannot run) receives. */
export interface ExpressionInputProps {
  value: string;
  /** called on every edit with the compile of the new text (markers and live results share it) */
  onChange(text: string, analysis: Analysis): void;
  schema: readonly SchemaAttribute[];
  /** the selected user's source, for attribute hovers */
  hoverSource: Readonly<Record<string, unknown>> | null;
  userLabel: string | null;
  /** the row's matching precedence and "Apply this mapping", for the checker's row rules */
  mapping: { matchingPriority: number; flowType: string };
  ariaLabel: string;
}

/**
 * Which component edits expressions. The app provides the Monaco editor; DOM tests (happy-dom cannot
 * run Monaco) provide a text area, so the table and panel logic is tested without a browser.
 */
export const ExpressionInputContext = createContext<ComponentType<ExpressionInputProps> | null>(null);

export function useExpressionInput(): ComponentType<ExpressionInputProps> {
  const input = useContext(ExpressionInputContext);
  if (!input) throw new Error('No expression editor was provided (ExpressionInputContext)');
  return input;
}
