import { describe, expect, it } from 'vitest';
import { rules, runtimeError, value } from '../helpers.ts';

describe('string functions', () => {
  it('Append treats a null operand as "" and says the rule is unverified', () => {
    expect(value('Append([missing], "x")')).toBe('x');
    expect(rules('Append([missing], "x")')).toContain('Append null operand');
    expect(rules('Append("a", "x")')).toEqual([]);
  });

  it('Join skips null and empty values but keeps whitespace-only ones', () => {
    expect(value('Join(", ", "", [surname], [middle], [givenName])', { surname: 'Doe', givenName: 'John' })).toBe('Doe, John');
    expect(value('Join("", "a", " (", "b")')).toBe('a (b');
  });

  it('Join expands multi-valued sources value by value', () => {
    expect(value('Join(";", [proxyAddresses], "x")', { proxyAddresses: ['SMTP:a@c.com', 'smtp:b@c.com'] })).toBe('SMTP:a@c.com;smtp:b@c.com;x');
  });

  it('Join of nothing gives "" and flags the inferred rule', () => {
    expect(value('Join(" ", [a], [b])')).toBe('');
    expect(rules('Join(" ", [a], [b])')).toContain('Join all empty');
  });

  it('Left follows the documented edge cases', () => {
    expect(value('Left("John Doe", 3)')).toBe('Joh');
    expect(value('Left("John Doe", 0)')).toBe('');
    expect(value('Left("John Doe", -1)')).toBe('John Doe');
    expect(value('Left([missing], 3)')).toBe('');
  });

  it('Mid is 1-based, stops at the end, and rejects start < 1', () => {
    expect(value('Mid("John Smith", 6, 5)')).toBe('Smith');
    expect(value('Mid("John", 3, 64)')).toBe('hn');
    expect(value('Mid("John", 5, 2)')).toBe('');
    expect(value('Mid([missing], 1, 2)')).toBe(null);
    expect(runtimeError('Mid("John", 0, 2)')).toMatchObject({ code: 'OUT_OF_RANGE', start: 12, end: 13 });
  });

  it('numeric parameters accept numeric strings but not other text', () => {
    expect(value('Mid("John", "1", "2")')).toBe('Jo');
    expect(runtimeError('Mid("John", "one", 2)').code).toBe('NOT_A_NUMBER');
  });

  it('Len counts characters of text and of numeric literals as typed', () => {
    expect(value('Len("John Doe")')).toBe('8');
    expect(value('Len(42568.75)')).toBe('8');
    expect(value('Len([missing])')).toBe('0');
  });

  it('Word splits on any delimiter character and ignores runs of delimiters', () => {
    expect(value('Word("This,string!has&many separators", 4, ",!&#")')).toBe('many separators');
    expect(value('Word("a,,b", 2, ",")')).toBe('b');
    expect(rules('Word("a,,b", 2, ",")')).toContain('Word consecutive delimiters');
    expect(value('Word("a b", 3, " ")')).toBe('');
    expect(value('Word("a b", 0, " ")')).toBe('');
  });

  it('StripSpaces removes only U+0020', () => {
    expect(value('StripSpaces("a\tb c\u00a0d")')).toBe('a\tbc\u00a0d');
  });

  it('InStr is 1-based, binary by default and case-insensitive with vbTextCompare', () => {
    expect(value('InStr("The quick brown fox", "quick")')).toBe('5');
    expect(value('InStr("repEated", "e", 3, vbBinaryCompare)')).toBe('7');
    expect(value('InStr("repEated", "e", 3, vbTextCompare)')).toBe('4');
    expect(value('InStr("abc", "z")')).toBe('0');
    expect(value('InStr([missing], "z")')).toBe('0');
  });

  it('CStr renders Booleans, numbers and dates the .NET way', () => {
    expect(value('CStr([enabled])', { enabled: true })).toBe('True');
    expect(value('CStr(Len("abc"))')).toBe('3');
    expect(value('CStr(CDate("2021-06-30T13:05:00Z"))')).toBe('6/30/2021 1:05:00 PM');
    expect(value('CStr([missing])')).toBe(null);
  });

  it('ToUpper/ToLower map one character to one character (invariant culture)', () => {
    expect(value('ToUpper("straße")')).toBe('STRAßE');
    expect(rules('ToUpper("straße")')).toContain('One-to-one casing');
    expect(value('ToLower("ΟΔΟΣ")')).toBe('οδοσ'); // no final-sigma rule in .NET
  });

  it('ToUpper/ToLower apply a culture when given and reject unknown cultures', () => {
    expect(value('ToUpper("i", "tr-TR")')).toBe('İ');
    expect(value('ToLower("I", "tr-TR")')).toBe('ı');
    expect(value('ToLower("ABC", )')).toBe('abc');
    expect(runtimeError('ToUpper("abc", "xx-NOTACULTURE")').code).toBe('UNKNOWN_CULTURE');
  });

  it('PCase follows .NET title case after lower-casing everything', () => {
    expect(value('PCase("PABLO GONSALVES (SECOND)")')).toBe('Pablo Gonsalves (Second)');
    expect(value(`PCase("o'neil mcdonald_smith")`)).toBe("O'neil Mcdonald_Smith");
    expect(value('PCase("3RD STREET")')).toBe('3Rd Street');
    expect(rules('PCase("3RD STREET")')).toContain('PCase digit before word');
  });

  it('PCase with separators starts words only after those characters', () => {
    expect(value(`PCase("PINTO-DE'SILVA", " '-")`)).toBe("Pinto-De'Silva");
    expect(value('PCase("mary-ann o\'neil", " -")')).toBe("Mary-Ann O'neil");
  });

  it('NormalizeDiacritics maps the table letters and strips combining marks from Latin letters', () => {
    expect(value('NormalizeDiacritics("Zoë Łukasz Æsa Øster Straße")')).toBe('Zoe Lukasz AEsa OEster Strasse');
    expect(value('NormalizeDiacritics("e\u0331")')).toBe('e');
    expect(value('NormalizeDiacritics("Жанна")')).toBe('Жанна');
    expect(value('NormalizeDiacritics("Đorđe")')).toBe('Đorđe');
    expect(rules('NormalizeDiacritics("Đorđe")')).toContain('NormalizeDiacritics unlisted letter');
  });
});
