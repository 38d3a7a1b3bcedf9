/**
 * Conversions between the engine's value kinds (Microsoft Learn "Reference for writing expressions for attribute
 * mappings": CBool, CStr, CDate and the functions that take numbers). Every function that needs text, a number, a
 * Boolean or a date asks here, so the rules live in one place.
 */
import type { SourceValue } from '../directory/source-object.ts';
import { DateError, parseDateText, renderDateTime, ticksFromEpochMs } from './datetime.ts';
import { flag, type AppRoleAssignment, type CallSite, type Env } from './runtime.ts';
import { NULL, booleanValue, multiValue, numberValue, stringValue, type ExprValue } from './value.ts';

export function renderNumber(value: bigint | number): string {
  if (typeof value === 'bigint') return value.toString();
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  return String(value); // invariant culture, no grouping (§3.1: 42568.75 → "42568.75")
}

export function renderComplex(fields: Readonly<Record<string, string | boolean>>): string {
  return JSON.stringify(fields);
}

/**
 * The text of a single value, or null for null / ignore. A multi-valued input gives its first value
 * (§3.1 recommendation [?]) and the result records the rule.
 */
export function textOf(value: ExprValue, env: Env): string | null {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'null':
    case 'ignore':
      return null;
    case 'boolean':
      return value.value ? 'True' : 'False';
    case 'number':
      return renderNumber(value.value);
    case 'datetime':
      return renderDateTime(value.ticks);
    case 'complex':
      return renderComplex(value.fields);
    case 'multi': {
      const first = value.values[0];
      if (first === undefined) return null;
      if (value.values.length > 1) flag(env, 'Multi-valued as text');
      return textOf(first, env);
    }
  }
}

/** True for null, the ignore marker, "" and an empty multi-valued value (IsNullOrEmpty). */
export function isNullOrEmpty(value: ExprValue): boolean {
  return value.kind === 'null' || value.kind === 'ignore' || (value.kind === 'string' && value.value === '') || (value.kind === 'multi' && value.values.length === 0);
}

const DECIMAL = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;
const HEX = /^\s*&[hH]([0-9a-fA-F]+)\s*$/;

/** Invariant-culture number text (or VB &H hex), as a JS number; undefined when it is not numeric. */
export function parseNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const hex = HEX.exec(text);
  return hex ? Number(BigInt(`0x${hex[1]}`)) : undefined;
}

function parseInt64(text: string): bigint | undefined {
  if (INTEGER.test(text)) return BigInt(text.trim().replace(/^\+/, ''));
  const hex = HEX.exec(text);
  return hex ? BigInt(`0x${hex[1]}`) : undefined;
}

/** A numeric argument; numeric strings are accepted (`Mid([x], "1", "2")`, `DateAdd("h", "-7", ...)`). */
export function numberArg(value: ExprValue, env: Env, call: CallSite, argIndex: number, what: string): number {
  if (value.kind === 'number') return Number(value.value);
  const text = textOf(value, env);
  if (text === null) call.fail('MISSING_NUMBER', `${call.name}: ${what} has no value`, argIndex);
  const number = parseNumber(text);
  if (number === undefined) call.fail('NOT_A_NUMBER', `${call.name}: ${what} must be a number, got "${text}"`, argIndex);
  return number;
}

export function integerArg(value: ExprValue, env: Env, call: CallSite, argIndex: number, what: string): number {
  const number = numberArg(value, env, call, argIndex, what);
  if (!Number.isInteger(number)) call.fail('NOT_AN_INTEGER', `${call.name}: ${what} must be a whole number, got ${number}`, argIndex);
  return number;
}

/** An Int64 argument (BitAnd, DateFromNum): decimal digits or &H hex, kept exact beyond 2^53. */
export function int64Arg(value: ExprValue, env: Env, call: CallSite, argIndex: number, what: string): bigint {
  if (value.kind === 'number') {
    if (typeof value.value === 'bigint') return value.value;
    if (Number.isInteger(value.value)) return BigInt(value.value);
  }
  const text = textOf(value, env);
  if (text === null) call.fail('MISSING_NUMBER', `${call.name}: ${what} has no value`, argIndex);
  const number = parseInt64(text);
  if (number === undefined) call.fail('NOT_A_NUMBER', `${call.name}: ${what} must be a whole number, got "${text}"`, argIndex);
  return number;
}

/**
 * .NET bool.Parse plus VB's numeric rule (§3.1): "True"/"False" in any case, numbers are True when
 * non-zero; undefined for anything else.
 */
export function booleanOf(value: ExprValue, env: Env): boolean | undefined {
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'number') return Number(value.value) !== 0;
  const text = textOf(value, env);
  if (text === null) return undefined;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  const number = parseNumber(text);
  return number === undefined ? undefined : number !== 0;
}

/** The instant of a DateTime argument: a DateTime value, or text in one of the §5 forms. */
export function dateArg(value: ExprValue, env: Env, call: CallSite, argIndex: number, what: string): bigint {
  if (value.kind === 'datetime') return value.ticks;
  const text = textOf(value, env);
  if (text === null) {
    flag(env, 'Date argument null');
    call.fail('MISSING_DATE', `${call.name}: ${what} has no value (wrap a possibly missing attribute: Switch([x], [x], "", "9999-12-31"))`, argIndex);
  }
  try {
    return parseDateText(text);
  } catch (error) {
    if (error instanceof DateError) call.fail('INVALID_DATE', `${call.name}: ${error.message}`, argIndex);
    throw error;
  }
}

export function nowTicks(env: Env): bigint {
  return (env.nowTicks ??= ticksFromEpochMs(env.context.now ? env.context.now.getTime() : Date.now()));
}

/**
 * A source attribute as an engine value (§3.2): absent, null and an empty list are null; arrays are
 * multi-valued; objects inside arrays are app-role-like complex values.
 */
export function fromSource(value: SourceValue | undefined | readonly unknown[]): ExprValue {
  if (value === undefined || value === null) return NULL;
  switch (typeof value) {
    case 'string':
      return stringValue(value);
    case 'boolean':
      return booleanValue(value);
    case 'number':
      return numberValue(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return NULL;
    return multiValue(value.map((item: unknown) => fromSource(item as SourceValue)));
  }
  return isPlainObject(value) ? complexFromObject(value) : NULL;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function complexFromObject(object: Record<string, unknown>): ExprValue {
  const fields: Record<string, string | boolean> = {};
  for (const [key, field] of Object.entries(object)) {
    if (typeof field === 'string' || typeof field === 'boolean') fields[key] = field;
    else if (typeof field === 'number') fields[key] = renderNumber(field);
  }
  return { kind: 'complex', fields };
}

export function fromRoleAssignments(roles: readonly AppRoleAssignment[]): ExprValue {
  if (roles.length === 0) return NULL;
  return multiValue(roles.map((role) => ({ kind: 'complex', fields: { id: role.id, value: role.value, displayName: role.displayName } })));
}
