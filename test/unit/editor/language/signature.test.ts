import { describe, expect, it } from 'vitest';
import { activeParameter, signatureAt } from '../../../../renderer/editor/language/signature.ts';
import { findFunction } from '../../../../renderer/editor/language/catalogue-docs.ts';

describe('signature help', () => {
  it('shows the innermost call’s parameters with the one being typed active', () => {
    const text = 'Join(" ", ToUpper(';
    const help = signatureAt(text, text.length)!;
    expect(help.fn.name).toBe('ToUpper');
    expect(help.label).toBe('ToUpper(source, [culture]) → string');
    expect(help.activeParameter).toBe(0);
    const [start, end] = help.parameters[1]!.label;
    expect(help.label.slice(start, end)).toBe('[culture]');

    const outer = 'Join(" ", [a], ';
    expect(signatureAt(outer, outer.length)).toMatchObject({ fn: { name: 'Join' }, activeParameter: 1 });
  });

  it('keeps a repeating parameter active and cycles Switch’s key/value pairs', () => {
    expect(activeParameter(findFunction('Coalesce')!, 5)).toBe(0);
    const switchFn = findFunction('Switch')!;
    expect([2, 3, 4, 5].map((i) => switchFn.params[activeParameter(switchFn, i)]!.name)).toEqual(['key', 'value', 'key', 'value']);
  });

  it('gives nothing outside a call or for an unknown function', () => {
    expect(signatureAt('[mail]', 3)).toBeNull();
    expect(signatureAt('Jion(', 5)).toBeNull();
  });
});
