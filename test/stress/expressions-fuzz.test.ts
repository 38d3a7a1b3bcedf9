import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../shared/expressions/index.ts';
import { mutate, randomExpression, randomSource, seeded } from '../unit/expressions/fuzz.ts';

// ≥ 100,000 random and mutated expressions (issue 3, "Tests"): none may throw out of the engine, every
// result must be a value or a diagnostic / runtime error whose span lies inside the text, and every
// evaluation ends through the engine's own bounds (nesting limit, step budget, size limit, linear regex).
const CASES = 100_000;

const vectors: { expression: string }[] = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/expression-vectors.json', import.meta.url)), 'utf8'));

describe('expression engine fuzz', () => {
  it(`survives ${CASES.toLocaleString('en-US')} random and mutated expressions`, () => {
    const random = seeded(20250730);
    const context = { now: new Date('2025-07-30T00:00:00Z'), defaultDomain: 'contoso.com', existingValues: ['John'], seed: 1 };
    const tally = { compiled: 0, rejected: 0, values: 0, runtimeErrors: 0 };
    let slowest = { ms: 0, expression: '' };
    for (let i = 0; i < CASES; i++) {
      const base = i % 2 === 0 ? pick(vectors, random).expression : randomExpression(random);
      const text = random() < 0.7 ? mutate(random, base) : base;
      const started = performance.now();
      let outcome: string;
      try {
        const compiled = compileExpression(text);
        for (const d of compiled.diagnostics) {
          if (d.start < 0 || d.end > text.length || d.start > d.end) throw new Error(`diagnostic span ${d.start}-${d.end} outside the text`);
        }
        if (!compiled.ok) {
          expect(compiled.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          tally.rejected++;
          outcome = 'rejected';
        } else {
          tally.compiled++;
          const result = compiled.program.evaluate(randomSource(random), context);
          if (result.ok) tally.values++;
          else {
            if (result.error.start < 0 || result.error.end > text.length) throw new Error(`runtime error span ${result.error.start}-${result.error.end} outside the text`);
            tally.runtimeErrors++;
          }
          outcome = result.ok ? 'value' : result.error.code;
        }
      } catch (error) {
        throw new Error(`case ${i} threw out of the engine: ${(error as Error).stack}\nexpression: ${JSON.stringify(text)}`);
      }
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { ms, expression: `${text.slice(0, 120)} → ${outcome}` };
    }
    console.log(`fuzz: ${JSON.stringify(tally)}; slowest case ${slowest.ms.toFixed(1)} ms: ${slowest.expression}`);
    expect(tally.compiled + tally.rejected).toBe(CASES);
    // both paths must be exercised for the run to mean anything
    expect(tally.compiled).toBeGreaterThan(CASES / 10);
    expect(tally.rejected).toBeGreaterThan(CASES / 10);
    expect(tally.runtimeErrors).toBeGreaterThan(0);
  });
});

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}
