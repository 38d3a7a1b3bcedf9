/**
 * How engine values become text and JSON (Microsoft Learn "Reference for writing expressions for attribute mappings":
 * CStr and the examples' outputs).
 */
import { renderComplex, renderNumber } from './coerce.ts';
import { renderDateTime } from './datetime.ts';
import type { ExprValue } from './value.ts';

/**
 * How Entra renders a value as text: "True"/"False", Int64 in decimal, dates as
 * "M/d/yyyy h:mm:ss tt" (en-US, UTC). Null and the ignore marker give null. A multi-valued value gives
 * its first value, the engine's own string coercion (§3.1); render each value for multi-valued targets.
 */
export function valueToString(value: ExprValue): string | null {
  switch (value.kind) {
    case 'null':
    case 'ignore':
      return null;
    case 'string':
      return value.value;
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
      return first === undefined ? null : valueToString(first);
    }
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: string | boolean };

/**
 * The value in the `eval --jsonl` protocol (§12): Booleans as JSON booleans, integers (Int64) as
 * decimal strings, dates in their text form, multi-valued as arrays, role objects as objects.
 */
export function valueToJson(value: ExprValue): JsonValue {
  switch (value.kind) {
    case 'null':
    case 'ignore':
      return null;
    case 'string':
      return value.value;
    case 'boolean':
      return value.value;
    case 'number':
      return typeof value.value === 'number' && !Number.isInteger(value.value) ? value.value : renderNumber(value.value);
    case 'datetime':
      return renderDateTime(value.ticks);
    case 'complex':
      return { ...value.fields };
    case 'multi':
      return value.values.map(valueToJson);
  }
}
