import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../electron/backend/http/request-budget.ts';

/** A budget on a clock the test moves: sleeping advances it, so nothing really waits. */
function budgetAt(limit: { calls: number; windowMs: number }) {
  let now = 0;
  const waits: number[] = [];
  const budget = new RequestBudget(limit, () => now, async (ms) => {
    waits.push(ms);
    now += ms;
  });
  return { budget, waits, advance: (ms: number) => (now += ms), at: () => now };
}

describe('RequestBudget', () => {
  it('lets calls through until the window is spent, then waits for the oldest to leave it', async () => {
    const { budget, waits, advance } = budgetAt({ calls: 3, windowMs: 10_000 });
    for (let i = 0; i < 3; i++) {
      await budget.turn();
      advance(1_000);
    }
    await budget.turn();
    expect(waits).toEqual([7_000]);
  });

  it('counts each call at its cost (Graph resource units) and waits until enough of the oldest calls have left', async () => {
    const { budget, waits, advance, at } = budgetAt({ calls: 10, windowMs: 10_000 });
    await budget.turn(undefined, undefined, 4); // t=0
    advance(1_000);
    await budget.turn(undefined, undefined, 4); // t=1000, 8 spent
    advance(1_000);
    const told: number[] = [];
    await budget.turn(undefined, (s) => told.push(s), 6); // 2 left: the first call's 4 must leave, at t=10000
    expect(waits).toEqual([8_000]);
    await budget.turn(undefined, (s) => told.push(s), 7); // 0 left: the calls of t=1000 and t=10000 must leave
    expect(waits).toEqual([8_000, 10_000]);
    expect(told).toEqual([8, 10]);
    expect(at()).toBe(20_000);
  });

  it('lets a call dearer than the whole window through once the window is empty', async () => {
    const { budget, waits, advance } = budgetAt({ calls: 5, windowMs: 10_000 });
    await budget.turn(undefined, undefined, 2);
    advance(500);
    await budget.turn(undefined, undefined, 50);
    expect(waits).toEqual([9_500]);
  });
});
