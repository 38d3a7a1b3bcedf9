/**
 * Disagreements as expression vectors in the `scim-planner eval --jsonl` line format (shared/expressions/protocol.ts),
 * with Entra's answer as the expected one, so a fidelity defect can be attached to a bug report and replayed. Real
 * source values go in only when the admin asks; otherwise a vector names the attributes involved and carries no value.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { CheckedRow } from './expression-check.ts';

interface Vector {
  id: string;
  expression: string;
  source: Record<string, unknown>;
  context: { targetAttribute: string };
  /** Entra's value: one string, an array for several, null for none (only with real values: it is computed from them) */
  expected?: string | string[] | null;
  /** Entra refused the expression for this user */
  error?: true;
  /** the source attributes the expression reads (always listed; the only content when values are withheld) */
  attributes: string[];
  note: string;
}

function expectedOf(value: readonly string[] | null): string | string[] | null {
  if (!value || value.length === 0) return null;
  return value.length === 1 ? value[0]! : [...value];
}

export function disagreementVectors(rows: readonly CheckedRow[], usersById: ReadonlyMap<string, SourceObject>, includeValues: boolean): Vector[] {
  return rows
    .filter((row) => row.verdict !== 'agree' && row.verdict !== 'both-refused')
    .map((row, index) => {
      const user = usersById.get(row.sourceId);
      const source: Record<string, unknown> = {};
      if (includeValues && user) for (const name of row.attributes) if (user[name] !== undefined && user[name] !== null) source[name] = user[name];
      const entraOk = row.entra.parsingSucceeded && row.entra.evaluationSucceeded;
      const vector: Vector = {
        id: `entra-check-${index + 1}-${row.targetAttribute}`,
        expression: row.expression,
        source,
        context: { targetAttribute: row.targetAttribute },
        attributes: row.attributes,
        note: [
          `verdict ${row.verdict}`,
          entraOk ? null : `Entra: ${row.entra.error ?? 'refused'}`,
          !includeValues ? null : row.ours.ok ? `preview: ${JSON.stringify(row.ours.value)}` : `preview refused: ${row.ours.error ?? ''}`,
          includeValues ? null : 'values withheld: both results are computed from the user, so neither is included (export with real values to include them)',
        ]
          .filter(Boolean)
          .join('; '),
      };
      if (!entraOk) vector.error = true;
      else if (includeValues) vector.expected = expectedOf(row.entra.value);
      return vector;
    });
}

/** One vector per line, as `scim-planner eval --jsonl` reads them. */
export function vectorLines(vectors: readonly Vector[]): string {
  return vectors.map((vector) => JSON.stringify(vector)).join('\n') + (vectors.length > 0 ? '\n' : '');
}
