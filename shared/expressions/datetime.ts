/**
 * .NET / VB.NET date semantics for the engine (Microsoft Learn "Reference for writing expressions for attribute
 * mappings": DateAdd, DateDiff, NumFromDate; .NET "DateTime.Ticks"). Instants are .NET ticks (bigint, 100 ns since
 * 0001-01-01T00:00:00Z); the engine runs in UTC, so "server local time" is UTC. All calendar arithmetic is done here
 * with integer algorithms, never with JavaScript's Date, whose two-digit-year and time-zone rules differ from .NET's.
 */

const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;
export const MAX_TICKS = 3_155_378_975_999_999_999n; // 9999-12-31T23:59:59.9999999
/** 1601-01-01, the epoch of AD / Windows FILETIME values (accountExpires, lastLogonTimestamp) */
export const FILETIME_EPOCH_TICKS = 504_911_232_000_000_000n;
const UNIX_EPOCH_TICKS = 621_355_968_000_000_000n;

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ticks within the second, 0..9,999,999 */
  fraction: number;
}

/** A date problem the caller turns into a runtime error with its own span. */
export class DateError extends Error {}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days since 0001-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 306; // 0000-03-01 based → 0001-01-01 based
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 306;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function ticksFromParts(p: DateParts): bigint {
  if (p.year < 1 || p.year > 9999 || p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) {
    throw new DateError(`${p.year}-${p.month}-${p.day} is not a valid date`);
  }
  if (p.hour > 23 || p.minute > 59 || p.second > 59) throw new DateError(`${p.hour}:${p.minute}:${p.second} is not a valid time`);
  const seconds = daysFromCivil(p.year, p.month, p.day) * 86400 + p.hour * 3600 + p.minute * 60 + p.second;
  return BigInt(seconds) * TICKS_PER_SECOND + BigInt(p.fraction);
}

export function partsFromTicks(ticks: bigint): DateParts {
  const days = Number(ticks / TICKS_PER_DAY);
  const inDay = ticks % TICKS_PER_DAY;
  const seconds = Number(inDay / TICKS_PER_SECOND);
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    fraction: Number(inDay % TICKS_PER_SECOND),
  };
}

/** 0 = Sunday ... 6 = Saturday (.NET DayOfWeek); 0001-01-01 was a Monday. */
export function dayOfWeek(ticks: bigint): number {
  return (Number(ticks / TICKS_PER_DAY) + 1) % 7;
}

export function checkRange(ticks: bigint): bigint {
  if (ticks < 0n || ticks > MAX_TICKS) throw new DateError('The result is outside the range of dates (years 1 to 9999)');
  return ticks;
}

export function ticksFromEpochMs(ms: number): bigint {
  return UNIX_EPOCH_TICKS + BigInt(Math.floor(ms)) * 10_000n;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** How a DateTime becomes text in the engine: en-US general format, "M/d/yyyy h:mm:ss tt" (§3.1, §5). */
export function renderDateTime(ticks: bigint): string {
  const p = partsFromTicks(ticks);
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return `${p.month}/${p.day}/${p.year} ${hour12}:${pad(p.minute, 2)}:${pad(p.second, 2)} ${p.hour < 12 ? 'AM' : 'PM'}`;
}

const ISO_FORM =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const US_FORM = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(AM|PM))?)?$/i;

/**
 * The date strings CDate, DateAdd, DateDiff and NumFromDate accept (§5): ISO dates and date-times
 * with an optional offset (Z, ±HH:mm, ±HHmm), Workday's date-plus-offset (2020-03-16-07:00), and the
 * en-US form the engine itself renders (so Now() output can flow back in). No offset means UTC [I].
 */
export function parseDateText(input: string): bigint {
  const text = input.trim();
  let parts: DateParts;
  let offsetMinutes = 0;
  let match = ISO_FORM.exec(text);
  if (match) {
    parts = {
      year: Number(match[1]),
      month: Number(match[2]),
      day: Number(match[3]),
      hour: Number(match[4] ?? 0),
      minute: Number(match[5] ?? 0),
      second: Number(match[6] ?? 0),
      fraction: match[7] ? Number(match[7].padEnd(7, '0')) : 0,
    };
    if (match[8]) offsetMinutes = parseOffset(match[8]);
  } else if ((match = US_FORM.exec(text))) {
    let hour = Number(match[4] ?? 0);
    const meridiem = match[7]?.toUpperCase();
    if (meridiem) {
      if (hour < 1 || hour > 12) throw new DateError(`"${input}" is not a date: the hour must be 1-12 with AM/PM`);
      hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
    }
    parts = { year: Number(match[3]), month: Number(match[1]), day: Number(match[2]), hour, minute: Number(match[5] ?? 0), second: Number(match[6] ?? 0), fraction: 0 };
  } else {
    throw new DateError(`"${input}" is not a date the engine can read (use yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss with an optional offset, or M/d/yyyy h:mm:ss tt)`);
  }
  const local = ticksFromParts(parts);
  return checkRange(local - BigInt(offsetMinutes) * TICKS_PER_MINUTE);
}

function parseOffset(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) throw new DateError(`"${text}" is not a valid UTC offset`);
  return sign * (hours * 60 + minutes);
}

// ---------------------------------------------------------------------------------------------
// VB.NET DateAdd / DateDiff (Microsoft.VisualBasic.DateAndTime), which all documented rows match (§5)

export type Interval = 'yyyy' | 'q' | 'm' | 'y' | 'd' | 'w' | 'ww' | 'h' | 'n' | 's';
export const DOCUMENTED_INTERVALS: readonly Interval[] = ['yyyy', 'm', 'd', 'ww', 'h', 'n', 's'];
/** VB accepts these too; the Entra docs do not list them [?] */
export const VB_ONLY_INTERVALS: readonly Interval[] = ['q', 'y', 'w'];

export function parseInterval(text: string): Interval | undefined {
  const lower = text.trim().toLowerCase();
  return (DOCUMENTED_INTERVALS as readonly string[]).includes(lower) || (VB_ONLY_INTERVALS as readonly string[]).includes(lower) ? (lower as Interval) : undefined;
}

function addMonths(ticks: bigint, months: number): bigint {
  const p = partsFromTicks(ticks);
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  if (year < 1 || year > 9999) throw new DateError('The result is outside the range of dates (years 1 to 9999)');
  // .NET AddMonths clamps to the last day of the target month (Jan 31 + 1 month = Feb 28/29)
  return ticksFromParts({ ...p, year, month, day: Math.min(p.day, daysInMonth(year, month)) });
}

export function dateAdd(interval: Interval, amount: number, ticks: bigint): bigint {
  const n = Math.trunc(amount);
  switch (interval) {
    case 'yyyy':
      return addMonths(ticks, n * 12);
    case 'q':
      return addMonths(ticks, n * 3);
    case 'm':
      return addMonths(ticks, n);
    case 'y':
    case 'd':
    case 'w':
      return checkRange(ticks + BigInt(n) * TICKS_PER_DAY);
    case 'ww':
      return checkRange(ticks + BigInt(n) * 7n * TICKS_PER_DAY);
    case 'h':
      return checkRange(ticks + BigInt(n) * TICKS_PER_HOUR);
    case 'n':
      return checkRange(ticks + BigInt(n) * TICKS_PER_MINUTE);
    case 's':
      return checkRange(ticks + BigInt(n) * TICKS_PER_SECOND);
  }
}

export function dateDiff(interval: Interval, from: bigint, to: bigint): number {
  const span = to - from;
  switch (interval) {
    case 'yyyy':
      return partsFromTicks(to).year - partsFromTicks(from).year;
    case 'q': {
      const a = partsFromTicks(from);
      const b = partsFromTicks(to);
      return (b.year - a.year) * 4 + (Math.floor((b.month - 1) / 3) - Math.floor((a.month - 1) / 3));
    }
    case 'm': {
      const a = partsFromTicks(from);
      const b = partsFromTicks(to);
      return (b.year - a.year) * 12 + (b.month - a.month);
    }
    case 'y':
    case 'd':
      return Number(span / TICKS_PER_DAY); // bigint division truncates towards zero, like VB's Fix
    case 'w':
      return Number(span / (7n * TICKS_PER_DAY));
    case 'ww': {
      // week boundaries (Sundays) crossed: move both dates back to the midnight that starts their week
      const weekStart = (t: bigint) => Number(t / TICKS_PER_DAY) - dayOfWeek(t);
      return Math.trunc((weekStart(to) - weekStart(from)) / 7);
    }
    case 'h':
      return Number(span / TICKS_PER_HOUR);
    case 'n':
      return Number(span / TICKS_PER_MINUTE);
    case 's':
      return Number(span / TICKS_PER_SECOND);
  }
}
