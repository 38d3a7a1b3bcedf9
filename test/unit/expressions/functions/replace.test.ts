import { describe, expect, it } from 'vitest';
import { compileRegex, replaceAll } from '../../../../shared/expressions/regex.ts';
import { rules, runtimeError, value } from '../helpers.ts';

function regex(pattern: string) {
  const result = compileRegex(pattern);
  if (!result.ok) throw new Error(result.message);
  return result.regex;
}

describe('Replace and the .NET regex translation', () => {
  it('mode A replaces every literal occurrence, case-sensitively, keeping "$" literal', () => {
    expect(value('Replace([t], "Product Developer", , , "Software Engineer", , )', { t: 'Senior Product Developer / Product Developer' })).toBe('Senior Software Engineer / Software Engineer');
    expect(value('Replace([t], "dev", , , "x", , )', { t: 'Dev dev' })).toBe('Dev x');
    expect(value('Replace("a-b", "-", , , "$1", , )')).toBe('a$1b');
  });

  it('mode B puts the source into the template', () => {
    expect(value('Replace([UserID], "<username>", , , , , "<username>@contoso.com")', { UserID: 'jsmith' })).toBe('jsmith@contoso.com');
  });

  it('mode C uses ${name} and $1 in the replacement', () => {
    expect(value('Replace([p], , "\\\\+(?<isd>\\\\d* )(?<n>\\\\d{10})", , "${n}", , )', { p: '+91 9998887777' })).toBe('9998887777');
    expect(value('Replace([x], , "(\\\\w+)-(\\\\w+)", , "$2-$1", , )', { x: 'foo-bar' })).toBe('bar-foo');
  });

  it('numbers groups the .NET way: unnamed groups first, then named ones', () => {
    expect(value('Replace("xy", , "(?<a>x)(y)", , "$1|$2|${a}", , )')).toBe('y|x|x');
  });

  it('keeps an unknown $n or ${name} literal and supports $$, $&, $` , $\' and $_', () => {
    expect(value('Replace("ab", , "b", , "[$9|${zz}|$$|$&]", , )')).toBe('a[$9|${zz}|$|b]');
    expect(value('Replace("abc", , "b", , "<$`|$\'|$_>", , )')).toBe("a<a|c|abc>c");
  });

  it('mode D replaces only the named group inside each match', () => {
    expect(value('Replace([a], , "(?<n>^\\\\d*)", "n", "888", , )', { a: '545 Tremont Street' })).toBe('888 Tremont Street');
    expect(value('Replace([u], , "(?<Suffix>@(.)*)", "Suffix", "", , )', { u: 'jsmith@contoso.com' })).toBe('jsmith');
  });

  it('mode E keeps a source with a value and otherwise extracts the group from the other attribute', () => {
    const expr = 'Replace([tel], , "\\\\+(?<isd>\\\\d* )(?<num>\\\\d{10})", "num", , [mobile], )';
    expect(value(expr, { tel: '', mobile: '+91 8887779999' })).toBe('8887779999');
    expect(value(expr, { tel: '+1 425', mobile: '+91 8887779999' })).toBe('+1 425');
    expect(rules(expr, { tel: '', mobile: '+91 8887779999' })).toContain('Replace mode E');
  });

  it('empty matches advance one character, like .NET Regex.Replace', () => {
    expect(value('Replace("aab", , "a*", , "-", , )')).toBe('--b-');
    expect(value('Replace([n], , "[a-zA-Z_]*", , "", , )', { n: 'john_doe72' })).toBe('72');
    expect(replaceAll(regex('x*'), '😀', '-')).toBe('-😀-');
  });

  it('\\d, \\w and \\s are Unicode-aware as in .NET', () => {
    expect(value('Replace("a١b", , "\\\\d", , "#", , )')).toBe('a#b');
    expect(value('Replace("é-x", , "\\\\w", , "w", , )')).toBe('w-w');
    expect(value('Replace("a\u00a0b", , "\\\\s", , "_", , )')).toBe('a_b');
  });

  it('runs escaped punctuation in character classes (Microsoft sAMAccountName pattern)', () => {
    const expr = 'Replace([u], , "([\\\\/\\\\\\\\\\\\[\\\\]\\\\:\\\\;\\\\|\\\\=\\\\,\\\\+\\\\*\\\\?\\\\<\\\\>])", , "", , )';
    expect(value(expr, { u: 'J/o\\hn[S]m:i;t|h=,+*?<>' })).toBe('JohnSmith');
  });

  it('a catastrophic pattern runs in linear time', () => {
    const input = 'a'.repeat(5000) + '!';
    expect(value('Replace([x], , "^(a+)+$", , "matched", , )', { x: input })).toBe(input);
  });

  it('an invalid pattern built at run time is a runtime error', () => {
    expect(runtimeError('Replace([x], , Append("([a-", "z"), , "", , )', { x: 'abc' }).code).toBe('REGEX_INVALID');
    expect(runtimeError('Replace([x], , [p], , "", , )', { x: 'abc', p: '(?=a)' }).code).toBe('REGEX_UNSUPPORTED');
  });

  it('refuses a replacement that would grow beyond the text limit', () => {
    const grow = (inner: string) => `Replace(${inner}, "a", , , "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", , )`;
    expect(runtimeError(grow(grow(grow(grow('"aaaaaaaaaa"'))))).code).toBe('VALUE_TOO_LARGE');
  });

  it('null source stays null', () => {
    expect(value('Replace([missing], "a", , , "b", , )')).toBe(null);
  });
});
