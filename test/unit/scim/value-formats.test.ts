import { describe, expect, it } from 'vitest';
import { compileValuePattern, isEmailAddress, matchesValuePattern } from '../../../shared/scim/value-formats.ts';

// The expression the e-mail check replaces: the oracle on short inputs, where it is fast.
const OLD_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

describe('isEmailAddress', () => {
  it('accepts and refuses exactly what the old expression did', () => {
    const parts = ['a', '.', '@', ' ', 'b', '..', '\t', 'é'];
    // Every sequence of up to five parts: dots, @ and white space in every position.
    let level = [''];
    const inputs = new Set(level);
    for (let length = 1; length <= 5; length++) {
      level = level.flatMap((prefix) => parts.map((part) => prefix + part));
      for (const input of level) inputs.add(input);
    }
    expect(inputs.size).toBeGreaterThan(20_000);
    const disagreements = [...inputs].filter((input) => isEmailAddress(input) !== OLD_EMAIL.test(input));
    expect(disagreements).toEqual([]);
    expect(isEmailAddress('adele.vance@contoso.com')).toBe(true);
    expect(isEmailAddress('adele@contoso')).toBe(false);
  });
});

describe('vendor profile patterns run on the linear-time engine', () => {
  it('matches like RegExp.test, case-insensitively on request', () => {
    expect(matchesValuePattern('E-1234', '^[A-Z]-\\d{4}$')).toBe(true);
    expect(matchesValuePattern('xx E-1234', '[A-Z]-\\d{4}')).toBe(true);
    expect(matchesValuePattern('e-1234', '^[A-Z]-\\d{4}$')).toBe(false);
    expect(matchesValuePattern('URN:X:Tag', '^urn:x:', { ignoreCase: true })).toBe(true);
    expect(matchesValuePattern(`${'a'.repeat(32)}!`, '^(a+)+$')).toBe(false);
  });

  it('tells a malformed pattern from one the engine cannot run', () => {
    expect(compileValuePattern('[unclosed')).toEqual({ ok: false, message: 'not a valid regular expression' });
    const lookahead = compileValuePattern('^(?=a)b');
    expect(lookahead.ok).toBe(false);
    expect(!lookahead.ok && lookahead.message).toMatch(/^cannot run on the linear-time regular expression engine .*lookarounds and backreferences/);
    expect(compileValuePattern('(a)\\1').ok).toBe(false);
  });
});
