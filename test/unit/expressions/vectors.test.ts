import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProgramCache, answerCase, type ProtocolAnswer } from '../../../shared/expressions/protocol.ts';

// A copy of ../shared/conformance/expression-vectors.json (see test/fixtures/README.md), so a clone
// without ../shared runs the same conformance cases.
interface Vector {
  id: string;
  expression: string;
  source: Record<string, unknown>;
  context?: Record<string, unknown>;
  schema?: string[];
  expected?: unknown;
  expectedType?: 'int64' | 'datetime';
  flow?: 'ignore';
  match?: string;
  error?: boolean;
  errorKind?: 'parse' | 'validation' | 'runtime';
  disputed?: boolean;
}

const vectors: Vector[] = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/expression-vectors.json', import.meta.url)), 'utf8'));
const cache = new ProgramCache();

function answer(vector: Vector): ProtocolAnswer {
  return answerCase({ id: vector.id, expression: vector.expression, source: vector.source, context: vector.context as never, schema: vector.schema }, cache);
}

/** The checker tool's comparison (expressions.md §12): Booleans may be "True"/"False", Int64 decimal strings. */
function normalise(expected: unknown): unknown {
  if (typeof expected === 'number') return String(expected);
  if (Array.isArray(expected)) return expected.map(normalise);
  return expected;
}

describe('expression vectors', () => {
  it('has the vectors from ../shared/conformance', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(300);
  });

  for (const vector of vectors) {
    const title = `${vector.id}${vector.disputed ? ' (disputed: asserts the value the spec chose)' : ''}`;
    it(title, () => {
      const result = answer(vector);
      if (vector.error) {
        expect(result.ok, JSON.stringify(result)).toBe(false);
        if (!result.ok) expect(result.error.kind).toBe(vector.errorKind);
        return;
      }
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      if (vector.flow === 'ignore') {
        expect(result.flow).toBe('ignore');
        return;
      }
      expect(result.flow).toBeUndefined();
      if (vector.match !== undefined) {
        expect(String(result.value)).toMatch(new RegExp(vector.match));
        return;
      }
      expect(result.value).toEqual(normalise(vector.expected));
    });
  }
});
