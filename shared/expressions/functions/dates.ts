/**
 * Date and time functions with .NET / VB.NET semantics (Microsoft Learn "Reference for writing expressions for
 * attribute mappings"; .NET "Custom date and time format strings").
 */
import { dateArg, int64Arg, nowTicks, numberArg, textOf } from '../coerce.ts';
import {
  DOCUMENTED_INTERVALS,
  DateError,
  FILETIME_EPOCH_TICKS,
  MAX_TICKS,
  VB_ONLY_INTERVALS,
  dateAdd,
  dateDiff,
  parseDateText,
  parseInterval,
  type Interval,
} from '../datetime.ts';
import { DEFAULT_STYLES, formatDateTime, parseExact, parseStyles, tokenizeFormat, type DateTimeStyles } from '../datetime-format.ts';
import { flag, type CallSite, type Env } from '../runtime.ts';
import type { CallNode } from '../ast.ts';
import { NULL, datetimeValue, numberValue, stringValue, type ExprValue } from '../value.ts';
import { literalText, param, strict, type CheckContext, type FunctionDef } from './types.ts';

function intervalArg(value: ExprValue, env: Env, call: CallSite): Interval {
  const text = textOf(value, env);
  const interval = text === null ? undefined : parseInterval(text);
  if (interval === undefined) {
    call.fail('UNKNOWN_INTERVAL', `${call.name}: "${text ?? ''}" is not an interval; use one of ${DOCUMENTED_INTERVALS.join(', ')}`, 0);
  }
  if ((VB_ONLY_INTERVALS as readonly string[]).includes(interval)) flag(env, 'Undocumented date interval');
  return interval;
}

function checkInterval(call: CallNode, cx: CheckContext): void {
  const node = call.args[0];
  const text = literalText(node);
  if (text === undefined || !node) return;
  const interval = parseInterval(text);
  if (interval === undefined) {
    cx.report({ severity: 'error', code: 'UNKNOWN_INTERVAL', message: `"${text}" is not a date interval; use one of ${DOCUMENTED_INTERVALS.map((i) => `"${i}"`).join(', ')}`, start: node.start, end: node.end });
  } else if ((VB_ONLY_INTERVALS as readonly string[]).includes(interval)) {
    cx.report({ severity: 'warning', code: 'UNDOCUMENTED_INTERVAL', message: `"${text}" is a VB interval the Entra docs do not list; it may be rejected`, start: node.start, end: node.end });
  }
}

function wrapDateError<T>(call: CallSite, argIndex: number | undefined, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DateError) call.fail('INVALID_DATE', `${call.name}: ${error.message}`, argIndex);
    throw error;
  }
}

export const dateFunctions: FunctionDef[] = [
  {
    name: 'CDate',
    family: 'dates',
    description: 'Reads a date string (ISO 8601 with an optional offset, Workday\'s 2020-03-16-07:00, or M/d/yyyy h:mm:ss tt) as a UTC date-time. As text it reads "M/d/yyyy h:mm:ss tt".',
    params: [param('expression', 'string', 'the date text')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'datetime',
    examples: [
      { expression: 'CDate("2021-06-30+08:00")', result: '6/29/2021 4:00:00 PM' },
      { expression: 'CDate("2009-06-15T01:45:30-07:00")', result: '6/15/2009 8:45:30 AM' },
    ],
    documentedIn: 'FN',
    check(call, cx) {
      const arg = call.args[0];
      if (arg?.type === 'attribute') {
        cx.report({ severity: 'info', code: 'CDATE_OF_ATTRIBUTE', message: `When [${arg.name}] is missing CDate gives no value and a surrounding DateDiff/DateAdd fails; Switch([${arg.name}], [${arg.name}], "", "9999-12-31") supplies a fallback`, start: arg.start, end: arg.end });
      }
      const text = literalText(arg);
      if (text !== undefined && arg) {
        try {
          parseDateText(text);
        } catch (error) {
          cx.report({ severity: 'warning', code: 'INVALID_DATE', message: (error as Error).message, start: arg.start, end: arg.end });
        }
      }
    },
    compile: (args, call) =>
      strict(args, ([value], env) => {
        if (value!.kind === 'null' || value!.kind === 'ignore') {
          flag(env, 'CDate null');
          return NULL;
        }
        return datetimeValue(dateArg(value!, env, call, 0, 'the date'));
      }),
  },
  {
    name: 'DateAdd',
    family: 'dates',
    description: 'Adds a number of intervals to a date-time (VB DateAdd): "yyyy" years, "m" months (clamped to the month\'s end), "d" days, "ww" weeks, "h" hours, "n" minutes, "s" seconds. Negative numbers subtract.',
    params: [param('interval', 'string', 'yyyy, m, d, ww, h, n or s'), param('value', 'number', 'how many intervals; may be negative'), param('dateTime', 'datetime', 'a date, usually CDate([attribute])')],
    minArgs: 3,
    maxArgs: 3,
    returns: 'datetime',
    examples: [{ expression: 'DateAdd("d", 7, CDate([StatusHireDate]))', source: { StatusHireDate: '2012-03-16-07:00' }, result: '3/23/2012 7:00:00 AM' }],
    documentedIn: 'FN',
    check: checkInterval,
    compile: (args, call) =>
      strict(args, ([intervalValue, amount, date], env) => {
        const interval = intervalArg(intervalValue!, env, call);
        const n = numberArg(amount!, env, call, 1, 'value');
        const ticks = dateArg(date!, env, call, 2, 'dateTime');
        return datetimeValue(wrapDateError(call, undefined, () => dateAdd(interval, n, ticks)));
      }),
  },
  {
    name: 'DateDiff',
    family: 'dates',
    description: 'Counts intervals from date1 to date2 (VB DateDiff): positive when date2 is later. "d", "h", "n", "s" count whole elapsed units; "m" and "yyyy" count calendar boundaries; "ww" counts Sundays crossed.',
    params: [param('interval', 'string', 'yyyy, m, d, ww, h, n or s'), param('date1', 'datetime', 'the start'), param('date2', 'datetime', 'the end')],
    minArgs: 3,
    maxArgs: 3,
    returns: 'number',
    examples: [{ expression: 'DateDiff("d", CDate("2021-08-18+08:00"), CDate("2021-08-31+08:00"))', result: '13' }],
    documentedIn: 'FN',
    check: checkInterval,
    compile: (args, call) =>
      strict(args, ([intervalValue, first, second], env) => {
        const interval = intervalArg(intervalValue!, env, call);
        const from = dateArg(first!, env, call, 1, 'date1');
        const to = dateArg(second!, env, call, 2, 'date2');
        if (interval === 'ww') flag(env, 'DateDiff week boundaries');
        return numberValue(dateDiff(interval, from, to));
      }),
  },
  {
    name: 'DateFromNum',
    family: 'dates',
    description: 'Turns an AD integer date (100-nanosecond intervals since 1601-01-01 UTC, e.g. lastLogonTimestamp) into a date-time.',
    params: [param('value', 'number', 'an AD FILETIME number')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'datetime',
    examples: [{ expression: 'DateFromNum(129699324000000000)', result: '1/1/2012 11:00:00 PM' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([value], env) => {
        if (value!.kind === 'null' || value!.kind === 'ignore') return NULL;
        const ticks = int64Arg(value!, env, call, 0, 'value') + FILETIME_EPOCH_TICKS;
        if (ticks < FILETIME_EPOCH_TICKS || ticks > MAX_TICKS) call.fail('OUT_OF_RANGE', 'DateFromNum: the number is outside the range of dates (AD uses 0 and 9223372036854775807 for "never")', 0);
        return datetimeValue(ticks);
      }),
  },
  {
    name: 'NumFromDate',
    family: 'dates',
    description: 'Turns a date-time string with an offset into AD\'s integer date format (100-nanosecond intervals since 1601-01-01 UTC), as accountExpires expects. Use FormatDateTime first for other formats.',
    params: [param('value', 'string', 'an ISO 8601 date-time, e.g. 2020-12-31 23:59:59-08:00')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    examples: [{ expression: 'NumFromDate("2020-12-31 23:59:59-08:00")', result: '132539615990000000' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([value], env) => {
        if (value!.kind === 'null' || value!.kind === 'ignore') return NULL;
        const ticks = dateArg(value!, env, call, 0, 'value');
        if (ticks < FILETIME_EPOCH_TICKS) call.fail('OUT_OF_RANGE', 'NumFromDate: AD dates start at 1601-01-01', 0);
        return numberValue(ticks - FILETIME_EPOCH_TICKS);
      }),
  },
  {
    name: 'FormatDateTime',
    family: 'dates',
    description:
      'Reads the source with a .NET custom inputFormat and writes it with outputFormat. The dateTimeStyles slot is usually left empty (RoundtripKind with leading/trailing spaces allowed). A source with a UTC offset is converted to UTC first, which can move the date.',
    params: [
      param('source', 'string', 'the date text'),
      param('dateTimeStyles', 'string', '.NET DateTimeStyles names; leave empty for the default', { optional: true }),
      param('inputFormat', 'string', '.NET custom format of the source, e.g. yyyyMMddHHmmss.fZ'),
      param('outputFormat', 'string', '.NET custom format of the result, e.g. yyyy-MM-dd'),
    ],
    minArgs: 4,
    maxArgs: 4,
    returns: 'string',
    examples: [{ expression: 'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', source: { extensionAttribute1: '20150123105347.1Z' }, result: '2015-01-23' }],
    documentedIn: 'FN',
    arityError(count) {
      if (count === 4) return undefined;
      if (count === 3) return 'FormatDateTime takes 4 arguments: the dateTimeStyles slot (2nd) can be empty but not left out; write FormatDateTime(source, , inputFormat, outputFormat)';
      return `FormatDateTime takes 4 arguments (source, dateTimeStyles, inputFormat, outputFormat), got ${count}`;
    },
    check(call, cx) {
      const styles = literalText(call.args[1]);
      if (styles !== undefined && call.args[1]) {
        try {
          parseStyles(styles);
        } catch (error) {
          cx.report({ severity: 'error', code: 'BAD_STYLES', message: (error as Error).message, start: call.args[1].start, end: call.args[1].end });
        }
      }
      for (const index of [2, 3]) {
        const format = literalText(call.args[index]);
        if (format === undefined) continue;
        try {
          tokenizeFormat(format);
        } catch (error) {
          cx.report({ severity: 'error', code: 'BAD_FORMAT', message: (error as Error).message, start: call.args[index]!.start, end: call.args[index]!.end });
        }
        if (format !== format.trim()) {
          cx.report({ severity: 'warning', code: 'FORMAT_SPACES', message: 'Spaces at the ends of a date format are literal and change the result', start: call.args[index]!.start, end: call.args[index]!.end });
        }
      }
    },
    compile: (args, call) =>
      strict(args, ([source, stylesArg, inputArg, outputArg], env) => {
        const text = textOf(source!, env);
        if (text === null) return NULL;
        const stylesText = stylesArg ? textOf(stylesArg, env) : null;
        let styles: DateTimeStyles = DEFAULT_STYLES;
        if (stylesText !== null && stylesText.trim() !== '') {
          flag(env, 'FormatDateTime styles spelling');
          styles = wrapDateError(call, 1, () => parseStyles(stylesText));
        }
        const input = textOf(inputArg!, env) ?? '';
        const output = textOf(outputArg!, env) ?? '';
        const parsed = wrapDateError(call, 0, () => parseExact(text, input, styles, nowTicks(env)));
        if (parsed.hadOffset) flag(env, 'FormatDateTime offset conversion');
        if (output.length === 1) flag(env, 'FormatDateTime standard format');
        return stringValue(wrapDateError(call, 3, () => formatDateTime(parsed.ticks, output, parsed.kind)));
      }),
  },
  {
    name: 'Now',
    family: 'dates',
    description: 'The current date-time in UTC ("M/d/yyyy h:mm:ss tt" as text). Previews use the clock set in the test context, so results can be reproduced.',
    params: [],
    minArgs: 0,
    maxArgs: 0,
    returns: 'datetime',
    examples: [{ expression: 'Now()', result: '7/2/2021 3:33:38 PM' }],
    documentedIn: 'FN',
    nonDeterministic: true,
    compile: () => (env) => datetimeValue(nowTicks(env)),
  },
];
