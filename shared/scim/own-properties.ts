/**
 * Reading and writing attributes of client JSON by own properties only. JSON.parse turns a `"__proto__"` key
 * into an ordinary own property, but `record[key] = value` with that key replaces the object's prototype and
 * `name in record` sees inherited members: a body could then smuggle in attributes no stored resource holds.
 * Attribute names are case-insensitive (RFC 7643 §2.1), so lookups fall back to a case-insensitive scan.
 */

type JsonRecord = Record<string, unknown>;

/** The own key of `record` that spells `name` (exactly, else ignoring case), or undefined. */
export function findOwnKey(record: object, name: string): string | undefined {
  if (Object.hasOwn(record, name)) return name;
  // Comparing lengths first keeps the common miss cheap (a preview looks names up 100,000s of times).
  let lower: string | undefined;
  // for…in, not Object.keys: the same own keys in the same order without an array per lookup (most of them miss).
  for (const key in record) {
    if (key.length === name.length && Object.hasOwn(record, key) && key.toLowerCase() === (lower ??= name.toLowerCase())) return key;
  }
  return undefined;
}

/** The value of the own attribute `name` (case-insensitive), never an inherited one. */
export function ownValue(record: unknown, name: string): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const key = findOwnKey(record, name);
  return key === undefined ? undefined : (record as JsonRecord)[key];
}

/** Sets an own data property even when the key is `__proto__` (plain assignment would change the prototype). */
export function setOwn(record: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
