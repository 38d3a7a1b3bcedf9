import { describe, expect, it } from 'vitest';
import { rules, runtimeError, value } from '../helpers.ts';

const now = { now: new Date('2021-08-25T17:41:18Z') };

describe('date functions', () => {
  it('CDate reads ISO, Workday date+offset and US forms and renders M/d/yyyy h:mm:ss tt in UTC', () => {
    expect(value('CDate("2020-03-16-07:00")')).toBe('3/16/2020 7:00:00 AM');
    expect(value('CDate("2021-06-30+08:00")')).toBe('6/29/2021 4:00:00 PM');
    expect(value('CDate("2009-06-15T01:45:30-07:00")')).toBe('6/15/2009 8:45:30 AM');
    expect(value('CDate("2021-08-24 13:00:00+0200")')).toBe('8/24/2021 11:00:00 AM');
    expect(value('CDate("12/31/2025 12:00:00 AM")')).toBe('12/31/2025 12:00:00 AM');
    expect(value('CDate("0001-01-01")')).toBe('1/1/1 12:00:00 AM');
  });

  it('CDate of null is null, of non-dates an error', () => {
    expect(value('CDate([missing])')).toBe(null);
    expect(rules('CDate([missing])')).toContain('CDate null');
    expect(runtimeError('CDate("2021-02-30")').code).toBe('INVALID_DATE');
    expect(runtimeError('CDate("yesterday")').code).toBe('INVALID_DATE');
  });

  it('DateAdd follows VB: months clamp to the month end, ww is 7 days, n is minutes', () => {
    expect(value('DateAdd("m", 1, CDate("2021-01-31"))')).toBe('2/28/2021 12:00:00 AM');
    expect(value('DateAdd("yyyy", 1, CDate("2020-02-29"))')).toBe('2/28/2021 12:00:00 AM');
    expect(value('DateAdd("ww", 2, CDate("2012-03-16-07:00"))')).toBe('3/30/2012 7:00:00 AM');
    expect(value('DateAdd("n", 30, CDate("2012-03-16-07:00"))')).toBe('3/16/2012 7:30:00 AM');
    expect(value('DateAdd("h", "-7", Now())', {}, now)).toBe('8/25/2021 10:41:18 AM');
  });

  it('DateAdd accepts the VB-only intervals with a flag and rejects unknown ones at run time', () => {
    expect(value('DateAdd("q", 1, CDate("2021-01-15"))')).toBe('4/15/2021 12:00:00 AM');
    expect(rules('DateAdd("q", 1, CDate("2021-01-15"))')).toContain('Undocumented date interval');
    expect(runtimeError('DateAdd(Append("da", "ys"), 1, Now())').code).toBe('UNKNOWN_INTERVAL');
  });

  it('DateDiff matches every row of the FN table', () => {
    const pair = 'Now(), CDate("2012-03-16-07:00")';
    expect(value(`DateDiff("d", ${pair})`, {}, now)).toBe('-3449');
    expect(value(`DateDiff("ww", ${pair})`, {}, now)).toBe('-493');
    expect(value(`DateDiff("m", ${pair})`, {}, now)).toBe('-113');
    expect(value(`DateDiff("yyyy", ${pair})`, {}, now)).toBe('-9');
    expect(value('DateDiff("d", CDate("2021-08-18+08:00"), CDate("2021-08-31+08:00"))')).toBe('13');
    expect(value('DateDiff("h", CDate("2021-08-24"), CDate("2021-08-25"))')).toBe('24');
    expect(value('DateDiff("n", CDate("2021-08-24"), CDate("2021-08-25"))')).toBe('1440');
    expect(value('DateDiff("s", CDate("2021-08-24"), CDate("2021-08-25"))')).toBe('86400');
  });

  it('DateDiff "d" truncates elapsed time and "ww" counts Sundays crossed', () => {
    expect(value('DateDiff("d", CDate("2021-01-01T23:00:00Z"), CDate("2021-01-02T01:00:00Z"))')).toBe('0');
    expect(value('DateDiff("ww", CDate("2021-08-21T23:00:00Z"), CDate("2021-08-22T01:00:00Z"))')).toBe('1');
    expect(value('DateDiff("ww", CDate("2021-08-22"), CDate("2021-08-28"))')).toBe('0');
  });

  it('DateDiff takes date strings directly and fails on a missing date', () => {
    expect(value('DateDiff("d", "2021-01-01", "2021-01-03")')).toBe('2');
    expect(runtimeError('DateDiff("d", Now(), CDate([missing]))', {}, now).code).toBe('MISSING_DATE');
  });

  it('NumFromDate and DateFromNum convert AD FILETIME values exactly (beyond 2^53)', () => {
    expect(value('NumFromDate("2020-12-31 23:59:59-08:00")')).toBe('132539615990000000');
    expect(value('NumFromDate("2099-12-31T23:59:59-04:00")')).toBe('157469327990000000');
    expect(value('DateFromNum(129699324000000000)')).toBe('1/1/2012 11:00:00 PM');
    expect(value('DateFromNum(NumFromDate("2015-06-01T12:34:56.1234567Z"))')).toBe('6/1/2015 12:34:56 PM');
    expect(runtimeError('DateFromNum(9223372036854775807)').code).toBe('OUT_OF_RANGE');
  });

  it('FormatDateTime parses a .NET custom format and converts offsets to UTC', () => {
    expect(value('FormatDateTime("20150123105347.1Z", , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")')).toBe('2015-01-23');
    expect(value('FormatDateTime("2012-03-16-07:00", , "yyyy-MM-ddzzz", "yyyyMMddHHmmss.fZ")')).toBe('20120316070000.0Z');
    expect(value('FormatDateTime("2021-06-30+08:00", , "yyyy-MM-ddzzz", "yyyy-MM-dd")')).toBe('2021-06-29');
    expect(rules('FormatDateTime("2021-06-30+08:00", , "yyyy-MM-ddzzz", "yyyy-MM-dd")')).toContain('FormatDateTime offset conversion');
  });

  it('FormatDateTime writes names, 12-hour clocks, quoted literals and trimmed F fractions', () => {
    expect(value('FormatDateTime("2021-06-30", , "yyyy-MM-dd", "dddd, MMMM d")')).toBe('Wednesday, June 30');
    expect(value('FormatDateTime(" 8/5/2025 1:02:03 PM ", , "M/d/yyyy h:mm:ss tt", "hh \'h\' mm tt")')).toBe('01 h 02 PM');
    expect(value('FormatDateTime("2021-06-30 10:00:00.50", , "yyyy-MM-dd HH:mm:ss.ff", "HH:mm:ss.FFF")')).toBe('10:00:00.5');
    expect(value('FormatDateTime("2021-06-30 10:00:00.00", , "yyyy-MM-dd HH:mm:ss.ff", "HH:mm:ss.FFF")')).toBe('10:00:00');
    expect(value('FormatDateTime("30 Jun 21", , "dd MMM yy", "yyyy-MM-dd")')).toBe('2021-06-30');
  });

  it('FormatDateTime rejects a source that does not match and honours explicit styles', () => {
    expect(runtimeError('FormatDateTime("2015-01-23", , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")').code).toBe('INVALID_DATE');
    expect(runtimeError('FormatDateTime(" 2021-06-30", "None", "yyyy-MM-dd", "yyyy")').code).toBe('INVALID_DATE');
    expect(value('FormatDateTime("2021-06-30T10:00:00Z", "AdjustToUniversal", "yyyy-MM-ddTHH:mm:ssK", "HH:mm K")')).toBe('10:00 Z');
  });

  it('Now uses the context clock', () => {
    expect(value('Now()', {}, now)).toBe('8/25/2021 5:41:18 PM');
  });
});
