import { describe, expect, it } from 'vitest';
import { failurePercentText, parseFailurePercent } from '../../../shared/api/failure-rate.ts';

// Issue 20 item 11: the failure rate is a percentage on the screen and on the CLI, converted in one place.
describe('the mock server failure rate as a percentage', () => {
  it('reads whole and decimal percentages, with or without the sign, as a share of requests', () => {
    expect(parseFailurePercent('5', 'Failure rate')).toEqual({ ok: true, rate: 0.05 });
    expect(parseFailurePercent(' 5% ', 'Failure rate')).toEqual({ ok: true, rate: 0.05 });
    expect(parseFailurePercent('0.5%', 'Failure rate')).toEqual({ ok: true, rate: 0.005 });
    expect(parseFailurePercent('100', 'Failure rate')).toEqual({ ok: true, rate: 1 });
    expect(parseFailurePercent('1', 'Failure rate')).toEqual({ ok: true, rate: 0.01 });
    expect(parseFailurePercent('', 'Failure rate')).toEqual({ ok: true, rate: 0 });
    expect(parseFailurePercent('0', 'Failure rate')).toEqual({ ok: true, rate: 0 });
  });

  it('refuses the old 0..1 form instead of guessing, naming both readings', () => {
    const parsed = parseFailurePercent('0.05', '--failure-rate');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toBe(
      '--failure-rate is a percentage from 0 to 100, so "0.05" is ambiguous: it looks like the old 0 to 1 form. Write 5 for 5%, or 0.05% if you mean 0.05 percent.',
    );
  });

  it('refuses what is not a percentage, naming the setting and the value', () => {
    for (const text of ['150', '-1', 'five', '5%%']) {
      expect(parseFailurePercent(text, 'Failure rate')).toEqual({ ok: false, message: `Failure rate is a percentage from 0 to 100 (for example 5 or 5%), got "${text}".` });
    }
  });

  it('shows a share of requests as the percentage that reads back to it', () => {
    for (const rate of [0, 0.005, 0.05, 0.125, 1]) {
      const text = failurePercentText(rate);
      expect(parseFailurePercent(text, 'Failure rate')).toEqual({ ok: true, rate });
    }
    expect(failurePercentText(0.05)).toBe('5');
    expect(failurePercentText(0.005)).toBe('0.5%');
  });
});
