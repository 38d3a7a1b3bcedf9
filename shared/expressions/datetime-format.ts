/**
 * .NET custom date and time format strings (Microsoft Learn "Reference for writing expressions for attribute mappings",
 * FormatDateTime; .NET "Custom date and time format strings"): DateTime.ParseExact with DateTimeStyles, and
 * DateTime.ToString(format), with invariant English names and AM/PM.
 */
import {
  DAY_NAMES,
  DateError,
  MONTH_NAMES,
  TICKS_PER_MINUTE,
  checkRange,
  dayOfWeek,
  partsFromTicks,
  ticksFromParts,
  type DateParts,
} from './datetime.ts';

type FormatToken = { kind: 'field'; ch: string; len: number } | { kind: 'literal'; text: string };

const FIELD_CHARS = new Set(['d', 'f', 'F', 'g', 'h', 'H', 'K', 'm', 'M', 's', 't', 'y', 'z']);

/**
 * A one-character format is a .NET *standard* format. The engine renders dates in en-US (§3.1),
 * so these expand with en-US patterns [I]; o, r, s and u are culture-invariant.
 */
const STANDARD_FORMATS: Record<string, string> = {
  d: 'M/d/yyyy',
  D: 'dddd, MMMM d, yyyy',
  f: 'dddd, MMMM d, yyyy h:mm tt',
  F: 'dddd, MMMM d, yyyy h:mm:ss tt',
  g: 'M/d/yyyy h:mm tt',
  G: 'M/d/yyyy h:mm:ss tt',
  m: 'MMMM d',
  M: 'MMMM d',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'h:mm tt',
  T: 'h:mm:ss tt',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  y: 'MMMM yyyy',
  Y: 'MMMM yyyy',
};

export function tokenizeFormat(format: string): FormatToken[] {
  if (format.length === 0) throw new DateError('The date format is empty');
  if (format.length === 1) {
    const standard = STANDARD_FORMATS[format];
    if (standard === undefined) throw new DateError(`"${format}" is not a valid .NET date format`);
    return tokenizeFormat(standard);
  }
  const tokens: FormatToken[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (FIELD_CHARS.has(c)) {
      let j = i + 1;
      while (format[j] === c) j++;
      tokens.push({ kind: 'field', ch: c, len: j - i });
      i = j;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < format.length && format[j] !== c) {
        if (format[j] === '\\' && j + 1 < format.length) j++;
        text += format[j];
        j++;
      }
      if (j >= format.length) throw new DateError(`The quoted text in the date format "${format}" is not closed`);
      literal(text);
      i = j + 1;
    } else if (c === '%') {
      const next = format[i + 1];
      if (next === undefined || next === '%') throw new DateError(`"%" must be followed by a format character in "${format}"`);
      if (FIELD_CHARS.has(next)) tokens.push({ kind: 'field', ch: next, len: 1 });
      else literal(next);
      i += 2;
    } else if (c === '\\') {
      if (i + 1 >= format.length) throw new DateError(`The date format "${format}" ends with a lone backslash`);
      literal(format[i + 1]!);
      i += 2;
    } else {
      literal(c); // ":" and "/" are the en-US separators themselves
      i++;
    }
  }
  return tokens;
}

/** How the parsed value relates to UTC; decides what K and z print. */
type DateKind = 'unspecified' | 'utc' | 'local';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

export function formatDateTime(ticks: bigint, format: string, kind: DateKind): string {
  const p = partsFromTicks(ticks);
  let out = '';
  for (const token of tokenizeFormat(format)) {
    if (token.kind === 'literal') {
      out += token.text;
      continue;
    }
    const { ch, len } = token;
    switch (ch) {
      case 'd':
        out += len === 1 ? String(p.day) : len === 2 ? pad(p.day, 2) : len === 3 ? DAY_NAMES[dayOfWeek(ticks)]!.slice(0, 3) : DAY_NAMES[dayOfWeek(ticks)]!;
        break;
      case 'M':
        out += len === 1 ? String(p.month) : len === 2 ? pad(p.month, 2) : len === 3 ? MONTH_NAMES[p.month - 1]!.slice(0, 3) : MONTH_NAMES[p.month - 1]!;
        break;
      case 'y':
        out += len === 1 ? String(p.year % 100) : len === 2 ? pad(p.year % 100, 2) : pad(p.year, len);
        break;
      case 'h': {
        const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
        out += len === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case 'H':
        out += len === 1 ? String(p.hour) : pad(p.hour, 2);
        break;
      case 'm':
        out += len === 1 ? String(p.minute) : pad(p.minute, 2);
        break;
      case 's':
        out += len === 1 ? String(p.second) : pad(p.second, 2);
        break;
      case 'f':
      case 'F': {
        if (len > 7) throw new DateError(`"${ch.repeat(len)}" asks for more than 7 fraction digits`);
        let digits = pad(p.fraction, 7).slice(0, len);
        if (ch === 'F') {
          digits = digits.replace(/0+$/, '');
          // .NET drops the decimal point before an F field that prints nothing
          if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        }
        out += digits;
        break;
      }
      case 't':
        out += len === 1 ? (p.hour < 12 ? 'A' : 'P') : p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        // the server's local offset, which is UTC (§5)
        out += len === 1 ? '+0' : len === 2 ? '+00' : '+00:00';
        break;
      case 'K':
        out += kind === 'utc' ? 'Z' : kind === 'local' ? '+00:00' : '';
        break;
      case 'g':
        out += 'A.D.';
        break;
    }
  }
  return out;
}

export interface DateTimeStyles {
  allowLeadingWhite: boolean;
  allowTrailingWhite: boolean;
  allowInnerWhite: boolean;
  adjustToUniversal: boolean;
  assumeUniversal: boolean;
  assumeLocal: boolean;
  roundtripKind: boolean;
  noCurrentDateDefault: boolean;
}

/** FN: when dateTimeStyles is empty the engine uses RoundtripKind | AllowLeadingWhite | AllowTrailingWhite. */
export const DEFAULT_STYLES: DateTimeStyles = {
  allowLeadingWhite: true,
  allowTrailingWhite: true,
  allowInnerWhite: false,
  adjustToUniversal: false,
  assumeUniversal: false,
  assumeLocal: false,
  roundtripKind: true,
  noCurrentDateDefault: false,
};

const STYLE_FLAGS: Record<string, Partial<DateTimeStyles>> = {
  none: {},
  allowleadingwhite: { allowLeadingWhite: true },
  allowtrailingwhite: { allowTrailingWhite: true },
  allowinnerwhite: { allowInnerWhite: true },
  allowwhitespaces: { allowLeadingWhite: true, allowTrailingWhite: true, allowInnerWhite: true },
  nocurrentdatedefault: { noCurrentDateDefault: true },
  adjusttouniversal: { adjustToUniversal: true },
  assumelocal: { assumeLocal: true },
  assumeuniversal: { assumeUniversal: true },
  roundtripkind: { roundtripKind: true },
};

/**
 * How the dateTimeStyles argument is spelled is undocumented [?]: accept .NET DateTimeStyles member
 * names, case-insensitive, separated by "," or "|" (§5 recommendation).
 */
export function parseStyles(text: string): DateTimeStyles {
  const styles: DateTimeStyles = {
    allowLeadingWhite: false,
    allowTrailingWhite: false,
    allowInnerWhite: false,
    adjustToUniversal: false,
    assumeUniversal: false,
    assumeLocal: false,
    roundtripKind: false,
    noCurrentDateDefault: false,
  };
  for (const raw of text.split(/[,|]/)) {
    const name = raw.trim().toLowerCase().replace(/^datetimestyles\./, '');
    if (name === '') continue;
    const flags = STYLE_FLAGS[name];
    if (!flags) throw new DateError(`"${raw.trim()}" is not a DateTimeStyles value (for example AssumeUniversal, AdjustToUniversal, RoundtripKind)`);
    Object.assign(styles, flags);
  }
  return styles;
}

const isWhite = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** DateTime.ParseExact(source, format, en-US/invariant, styles): the instant and how it relates to UTC. */
export function parseExact(source: string, format: string, styles: DateTimeStyles, nowTicks: bigint): { ticks: bigint; kind: DateKind; hadOffset: boolean } {
  const fail = (why: string): never => {
    throw new DateError(`"${source}" does not match the input format "${format}": ${why}`);
  };
  let s = source;
  if (styles.allowLeadingWhite) s = s.replace(/^\s+/, '');
  if (styles.allowTrailingWhite) s = s.replace(/\s+$/, '');
  let i = 0;
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let weekday: number | undefined;
  let hour = 0;
  let hour12: number | undefined;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let meridiem: 'A' | 'P' | undefined;
  let offsetMinutes: number | undefined;
  let utcDesignator = false;

  const digits = (min: number, max: number, what: string): number => {
    let j = i;
    while (j < s.length && j - i < max && s[j]! >= '0' && s[j]! <= '9') j++;
    if (j - i < min) fail(`expected ${what} at position ${i + 1}`);
    const value = Number(s.slice(i, j));
    i = j;
    return value;
  };
  const name = (names: string[], abbreviated: boolean, what: string): number => {
    const rest = s.slice(i).toLowerCase();
    for (let k = 0; k < names.length; k++) {
      const candidate = (abbreviated ? names[k]!.slice(0, 3) : names[k]!).toLowerCase();
      if (rest.startsWith(candidate)) {
        i += candidate.length;
        return k;
      }
    }
    return fail(`expected ${what} at position ${i + 1}`);
  };
  const offset = (len: number | 'K'): number => {
    const sign = s[i];
    if (sign !== '+' && sign !== '-') return fail(`expected a UTC offset at position ${i + 1}`);
    i++;
    const hours = len === 1 ? digits(1, 2, 'offset hours') : digits(2, 2, 'offset hours');
    let minutes = 0;
    if (len === 3 || len === 'K' || s[i] === ':') {
      if (s[i] !== ':') fail(`expected ":" in the UTC offset at position ${i + 1}`);
      i++;
      minutes = digits(2, 2, 'offset minutes');
    }
    if (hours > 14 || minutes > 59) fail('the UTC offset is out of range');
    return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  };

  for (const token of tokenizeFormat(format)) {
    if (token.kind === 'literal') {
      for (const c of token.text) {
        if (isWhite(c) && styles.allowInnerWhite) {
          while (isWhite(s[i])) i++;
          continue;
        }
        if (s[i] === c) {
          i++;
          // a literal Z in the input format marks the value as UTC (§5)
          if (c === 'Z') utcDesignator = true;
        } else fail(`expected "${c}" at position ${i + 1}`);
      }
      continue;
    }
    const { ch, len } = token;
    switch (ch) {
      case 'd':
        if (len <= 2) day = len === 1 ? digits(1, 2, 'the day') : digits(2, 2, 'the day');
        else weekday = name(DAY_NAMES, len === 3, 'a day name');
        break;
      case 'M':
        if (len <= 2) month = len === 1 ? digits(1, 2, 'the month') : digits(2, 2, 'the month');
        else month = name(MONTH_NAMES, len === 3, 'a month name') + 1;
        break;
      case 'y':
        if (len <= 2) {
          const value = len === 1 ? digits(1, 2, 'the year') : digits(2, 2, 'the year');
          // en-US TwoDigitYearMax is 2049
          year = value < 50 ? 2000 + value : 1900 + value;
        } else year = digits(len, len, `a ${len}-digit year`);
        break;
      case 'h':
        hour12 = len === 1 ? digits(1, 2, 'the hour') : digits(2, 2, 'the hour');
        break;
      case 'H':
        hour = len === 1 ? digits(1, 2, 'the hour') : digits(2, 2, 'the hour');
        break;
      case 'm':
        minute = len === 1 ? digits(1, 2, 'the minutes') : digits(2, 2, 'the minutes');
        break;
      case 's':
        second = len === 1 ? digits(1, 2, 'the seconds') : digits(2, 2, 'the seconds');
        break;
      case 'f':
      case 'F': {
        if (len > 7) fail('more than 7 fraction digits');
        const start = i;
        digits(ch === 'f' ? len : 0, len, 'fraction digits');
        fraction = Number(s.slice(start, i).padEnd(7, '0') || '0');
        break;
      }
      case 't': {
        const c = s[i]?.toUpperCase();
        if (c !== 'A' && c !== 'P') fail(`expected AM or PM at position ${i + 1}`);
        meridiem = c as 'A' | 'P';
        i++;
        if (len > 1) {
          if (s[i]?.toUpperCase() !== 'M') fail(`expected AM or PM at position ${i}`);
          i++;
        }
        break;
      }
      case 'z':
        offsetMinutes = offset(len >= 3 ? 3 : len);
        break;
      case 'K':
        if (s[i] === 'Z' || s[i] === 'z') {
          utcDesignator = true;
          i++;
        } else if (s[i] === '+' || s[i] === '-') offsetMinutes = offset('K');
        break;
      case 'g':
        if (s.startsWith('A.D.', i)) i += 4;
        else if (s.startsWith('AD', i)) i += 2;
        break;
    }
  }
  if (i !== s.length) fail(`unexpected "${s.slice(i)}" after the end of the format`);

  if (hour12 !== undefined) {
    if (hour12 < 1 || hour12 > 12) fail('the 12-hour clock value must be 1-12');
    hour = hour12 % 12;
    if (meridiem === 'P') hour += 12;
  } else if (meridiem === 'P' && hour < 12) hour += 12;
  if (year === undefined && month === undefined && day === undefined && !styles.noCurrentDateDefault) {
    // .NET fills a missing date with today's date (server local = UTC)
    const today = partsFromTicks(nowTicks);
    year = today.year;
    month = today.month;
    day = today.day;
  }
  const parts: DateParts = { year: year ?? 1, month: month ?? 1, day: day ?? 1, hour, minute, second, fraction };
  let ticks: bigint;
  try {
    ticks = ticksFromParts(parts);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (weekday !== undefined && dayOfWeek(ticks) !== weekday) fail(`the day name ${DAY_NAMES[weekday]} does not match the date`);

  let kind: DateKind = 'unspecified';
  const hadOffset = offsetMinutes !== undefined;
  if (offsetMinutes !== undefined) {
    // an explicit offset is converted to the server's local time, which is UTC (§5)
    ticks = checkRange(ticks - BigInt(offsetMinutes) * TICKS_PER_MINUTE);
    kind = styles.adjustToUniversal ? 'utc' : 'local';
  } else if (utcDesignator) {
    kind = styles.roundtripKind || styles.adjustToUniversal ? 'utc' : 'local';
  } else if (styles.assumeUniversal) {
    kind = styles.adjustToUniversal ? 'utc' : 'local';
  } else if (styles.assumeLocal) {
    kind = styles.adjustToUniversal ? 'utc' : 'local';
  }
  return { ticks, kind, hadOffset };
}
