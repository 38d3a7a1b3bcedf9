import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, record, redo, startHistory, undo } from '../../../renderer/mappings/history.ts';
import { withOptFlag } from '../../../renderer/mappings/mapping-edits.ts';

describe('undo history', () => {
  it('undoes and redoes in order, and a new edit drops the redo branch', () => {
    let h = record(record(startHistory('a'), 'b'), 'c');
    h = undo(undo(h));
    expect(h.present).toBe('a');
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'd');
    expect(h.future).toEqual([]);
    expect(undo(h).present).toBe('b');
    expect(undo(startHistory('x'))).toEqual(startHistory('x'));
  });

  it('keeps at most the last HISTORY_LIMIT states', () => {
    let h = startHistory(0);
    for (let i = 1; i <= HISTORY_LIMIT + 10; i++) h = record(h, i);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toBe(10);
  });
});

describe('the aadOptscim062020 switch', () => {
  it('adds and removes the flag, keeping other query parameters', () => {
    expect(withOptFlag('https://x/scim', true)).toBe('https://x/scim?aadOptscim062020');
    expect(withOptFlag('https://x/scim?tenant=1', true)).toBe('https://x/scim?tenant=1&aadOptscim062020');
    expect(withOptFlag('https://x/scim?tenant=1&aadOptscim062020', false)).toBe('https://x/scim?tenant=1');
    expect(withOptFlag('https://x/scim?AADOPTSCIM062020', false)).toBe('https://x/scim');
    expect(withOptFlag(null, false)).toBeNull();
  });
});
