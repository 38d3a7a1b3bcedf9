/**
 * Target attribute names as the Entra mapping screen writes them, and how each one places a value in a SCIM
 * resource (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Create User"):
 *   `userName`                                   → top-level attribute
 *   `name.givenName`                             → sub-attribute of a single complex attribute
 *   `emails[type eq "work"].value`               → sub-attribute of the element of `emails` whose type is work
 *   `roles[primary eq "True"].value`             → sub-attribute of the primary element of `roles`
 *   `urn:…:enterprise:2.0:User:department`       → attribute inside the extension object (split at the last colon)
 */
import { findOwnKey, setOwn } from '../own-properties.ts';
import { equalitiesOf, parseAttributePath, type PatchPath } from '../path.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

interface ElementFilter {
  /** the filtered sub-attribute, in practice `type` or `primary` */
  readonly attribute: string;
  readonly value: string;
}

export interface TargetPath {
  /** the name exactly as mapped; PATCH operations use it verbatim as their `path` */
  readonly raw: string;
  /** the extension schema URN, or null for a core attribute */
  readonly urn: string | null;
  readonly attribute: string;
  readonly filter: ElementFilter | null;
  readonly subAttribute: string | null;
  /** the name read with the SCIM attribute-path grammar; absent for a name outside it */
  readonly parsed?: PatchPath;
  /**
   * The sub-attribute a POST body writes, in its RFC spelling (`value` for a filtered path without one); worked out
   * once here because a preview places the same 25 names 100,000 times.
   */
  readonly bodySubAttribute: string | null;
}

const cache = new Map<string, TargetPath>();

/** Parses (and memoises: a preview asks for the same 25 names 100,000 times) a target attribute name. */
export function parseTargetPath(raw: string): TargetPath {
  const cached = cache.get(raw);
  if (cached) return cached;
  const parsed = parseUncached(raw);
  cache.set(raw, parsed);
  return parsed;
}

/** Read with the one SCIM attribute-path grammar (path.ts) that the mock server's PATCH applier reads. */
function parseUncached(raw: string): TargetPath {
  let parsed: PatchPath;
  try {
    parsed = parseAttributePath(raw);
  } catch {
    return unparsed(raw);
  }
  const ref = parsed.ref!;
  let filter: ElementFilter | null = null;
  if (parsed.filter) {
    // Entra's target names filter on one sub-attribute with one string: `[type eq "work"]`, `[primary eq "True"]`.
    const equalities = Object.entries(equalitiesOf(parsed.filter) ?? {});
    const [attribute, value] = equalities[0] ?? [];
    if (equalities.length !== 1 || typeof value !== 'string') return unparsed(raw);
    filter = { attribute: attribute!, value };
  }
  const subAttribute = parsed.subAttribute ?? ref.sub ?? null;
  return {
    raw,
    urn: ref.schema ?? null,
    attribute: ref.attr,
    filter,
    subAttribute,
    parsed,
    bodySubAttribute: bodySubAttributeOf(filter, subAttribute),
  };
}

function bodySubAttributeOf(filter: ElementFilter | null, subAttribute: string | null): string | null {
  if (filter) return canonicalSubAttribute(subAttribute ?? 'value');
  return subAttribute === null ? null : canonicalSubAttribute(subAttribute);
}

/** A name outside the grammar is kept whole as one attribute (after its URN), so it still round-trips. */
function unparsed(raw: string): TargetPath {
  if (!/^urn:/i.test(raw)) return { raw, urn: null, attribute: raw, filter: null, subAttribute: null, bodySubAttribute: null };
  // Split at the last colon before any value filter: the prefix is the schema URN (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Create User").
  const bracket = raw.indexOf('[');
  const colon = raw.lastIndexOf(':', bracket === -1 ? raw.length : bracket);
  return { raw, urn: raw.slice(0, colon), attribute: raw.slice(colon + 1), filter: null, subAttribute: null, bodySubAttribute: null };
}

/** A filtered path (`emails[type eq "work"].value`) is always sent as its own PATCH operation (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Update User [Multi-valued properties]"). */
export function isFilteredPath(path: TargetPath): boolean {
  return path.filter !== null;
}

/**
 * RFC 7643 spellings of sub-attributes. Names are case-insensitive (RFC 7643 §2.1) and Microsoft's own table
 * writes `emails[type eq "other"].Value`; bodies use the RFC spelling so that two rows writing `value` and
 * `Value` of one element land on a single key.
 */
const CANONICAL_SUB_ATTRIBUTES = new Map(
  [
    'value', 'display', 'type', 'primary', '$ref', 'formatted', 'familyName', 'givenName', 'middleName',
    'honorificPrefix', 'honorificSuffix', 'streetAddress', 'locality', 'region', 'postalCode', 'country',
  ].map((name) => [name.toLowerCase(), name]),
);

function canonicalSubAttribute(name: string): string {
  return CANONICAL_SUB_ATTRIBUTES.get(name.toLowerCase()) ?? name;
}

/**
 * The `primary` flag of a new element of a typed multi-valued attribute. Microsoft's samples mark the work
 * email and work phone primary and every other element (including the work address) not primary; the rule
 * itself is undocumented (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Create User" (the samples)).
 */
function primaryFlagFor(attribute: string, type: string): boolean {
  const lower = attribute.toLowerCase();
  return (lower === 'emails' || lower === 'phonenumbers') && type.toLowerCase() === 'work';
}

function containerFor(resource: JsonObject, path: TargetPath, create: boolean): JsonObject | undefined {
  if (path.urn === null) return resource;
  const key = findOwnKey(resource, path.urn);
  const existing = key === undefined ? undefined : resource[key];
  if (existing && typeof existing === 'object' && !Array.isArray(existing)) return existing;
  if (!create) return undefined;
  const created: JsonObject = {};
  resource[path.urn] = created;
  return created;
}

function elementMatches(element: JsonValue, filter: ElementFilter): element is JsonObject {
  if (!element || typeof element !== 'object' || Array.isArray(element)) return false;
  const key = findOwnKey(element, filter.attribute);
  if (key === undefined) return false;
  const actual = element[key];
  // `primary eq "True"` compares a boolean; the string spelling Entra uses is case-insensitive.
  if (typeof actual === 'boolean') return String(actual).toLowerCase() === filter.value.toLowerCase();
  return actual === filter.value;
}

/**
 * Writes a value into a POST body where the target name says; every row sharing `<attr>[type eq "t"]` writes
 * one element. A PATCH's result is the PATCH applier's to decide (patch.ts, applyChanges).
 */
export function placeValue(resource: JsonObject, path: TargetPath, value: JsonValue): void {
  const container = containerFor(resource, path, true)!;
  const attributeKey = findOwnKey(container, path.attribute) ?? path.attribute;
  if (path.filter) {
    let list = container[attributeKey];
    if (!Array.isArray(list)) {
      list = [];
      setOwn(container, attributeKey, list);
    }
    let element = list.find((candidate) => elementMatches(candidate, path.filter!)) as JsonObject | undefined;
    if (!element) {
      element = newElement(path.attribute, path.filter);
      list.push(element);
    }
    const sub = path.bodySubAttribute!;
    setOwn(element, findOwnKey(element, sub) ?? sub, value);
    return;
  }
  if (path.bodySubAttribute !== null) {
    let complex = container[attributeKey];
    if (!complex || typeof complex !== 'object' || Array.isArray(complex)) {
      complex = {};
      setOwn(container, attributeKey, complex);
    }
    const sub = path.bodySubAttribute;
    setOwn(complex, findOwnKey(complex, sub) ?? sub, value);
    return;
  }
  setOwn(container, attributeKey, value);
}

/** A new element built into a POST body: Entra writes its `primary` flag there. */
function newElement(attribute: string, filter: ElementFilter): JsonObject {
  if (filter.attribute.toLowerCase() === 'primary') {
    return { primary: filter.value.toLowerCase() === 'true' };
  }
  // A computed key in a literal defines an own property, so even `__proto__` stays data here.
  const element: JsonObject = { [canonicalSubAttribute(filter.attribute)]: filter.value };
  if (filter.attribute.toLowerCase() === 'type') element.primary = primaryFlagFor(attribute, filter.value);
  return element;
}

/** Reads the value a target name points at, or undefined when the resource holds none. */
export function readValue(resource: JsonObject, path: TargetPath): JsonValue | undefined {
  const container = containerFor(resource, path, false);
  if (!container) return undefined;
  const attributeKey = findOwnKey(container, path.attribute);
  if (attributeKey === undefined) return undefined;
  const value = container[attributeKey];
  if (path.filter) {
    if (!Array.isArray(value)) return undefined;
    const element = value.find((candidate) => elementMatches(candidate, path.filter!)) as JsonObject | undefined;
    if (!element) return undefined;
    const key = findOwnKey(element, path.subAttribute ?? 'value');
    return key === undefined ? undefined : element[key];
  }
  if (path.subAttribute) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const key = findOwnKey(value, path.subAttribute);
    return key === undefined ? undefined : value[key];
  }
  return value;
}
