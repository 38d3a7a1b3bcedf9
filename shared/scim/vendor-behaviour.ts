/**
 * How an emulated vendor differs from a generic SCIM server: the one definition the mock server
 * (electron/backend/mock-server) runs on and shared/vendors' toMockBehaviour(profile) produces.
 * Attribute paths use Entra's target-attribute spelling (`name.givenName`,
 * `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:employeeNumber`).
 * Pure: the checks here read a resource and throw ScimErrors; storage-backed checks (uniqueness) stay
 * in the server.
 */
import { badRequest, ScimError, type ScimType } from './errors.ts';
import { attributeValue, matchesElement } from './filter.ts';
import { ownValue } from './own-properties.ts';
import { parsePatchPath } from './path.ts';
import { isEmailAddress, matchesValuePattern } from './value-formats.ts';
import { findAttributeIn, resolveAttribute, type ResourceTypeDef } from './schemas.ts';
import { isPlainObject, type Json } from './schemas-values.ts';

type ValueFormat = 'email' | 'date' | 'dateTime' | 'e164' | { pattern: string };

export interface AttributeRule {
  path: string;
  required?: boolean;
  format?: ValueFormat;
  allowedValues?: string[];
  /** allowed values compared case-sensitively (default false) */
  caseSensitive?: boolean;
  /** a second user with the same value gets 409 uniqueness */
  unique?: boolean;
}

export interface VendorBehaviour {
  id: string;
  name: string;
  /** attributes outside the vendor's schema: 400 (reject) or dropped silently (ignore) */
  unsupportedAttributes: 'reject' | 'ignore';
  /**
   * Top-level attributes (and extension URNs) the vendor keeps; undefined means everything the core and
   * enterprise schemas define. Anything else is unsupported.
   */
  supportedAttributes?: string[];
  /**
   * extension objects with URNs the server does not define (Entra custom extensions, Microsoft Learn "Customize user
   * provisioning attribute-mappings", "Provisioning a custom extension attribute to a SCIM compliant application")
   */
  customExtensions: 'store' | 'reject' | 'ignore';
  /** per-attribute checks on users: required, format, allowed values, uniqueness */
  userAttributes: AttributeRule[];
  /** what `active: false` does: keep an inactive user, or delete it (vendors without soft delete) */
  deactivation: 'deactivate' | 'delete';
  /** groups: supported, rejected (404 on /Groups) or accepted and discarded */
  groups: 'supported' | 'reject' | 'ignore';
  /**
   * group displayName unique (409), an Entra requirement RFC does not make (Microsoft Learn "Develop a SCIM endpoint
   * for user provisioning", "Group operations")
   */
  uniqueGroupDisplayName: boolean;
  /** characters a group displayName may not contain (Hector separates a role's group names with ";") */
  forbiddenGroupNameCharacters?: string[];
  /** filterable attributes on /Users (lower-case names); undefined = any attribute */
  filterableUserAttributes?: string[];
  /** sustained requests per second before 429 + Retry-After; undefined = unlimited */
  rateLimit?: { requestsPerSecond: number; burst: number };
  /** status and scimType of a failed format / allowed-value / required check: the vendor's kind of error */
  validationError: { status: number; scimType?: ScimType };
  /**
   * Where the server is lenient on purpose (it drops an attribute the vendor's guide warns about without saying its
   * API rejects it): the vendor rule the preview reports for that Entra target, by its finding code and message.
   */
  lenientRuleFor?: (target: string) => { code: string; message: string } | null;
}

/** A standards-following SCIM 2.0 service that accepts everything Entra sends. */
export const GENERIC_BEHAVIOUR: VendorBehaviour = {
  id: 'generic',
  name: 'Generic SCIM 2.0',
  unsupportedAttributes: 'ignore',
  customExtensions: 'store',
  userAttributes: [],
  deactivation: 'deactivate',
  groups: 'supported',
  uniqueGroupDisplayName: true,
  validationError: { status: 400, scimType: 'invalidValue' },
};

const FORMAT_TESTS: Record<Exclude<ValueFormat, { pattern: string }>, (v: string) => boolean> = {
  email: isEmailAddress,
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  dateTime: (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)),
  e164: (v) => /^\+[1-9]\d{6,14}$/.test(v),
};

function formatName(format: ValueFormat): string {
  return typeof format === 'string' ? format : `pattern ${format.pattern}`;
}

function matchesFormat(value: string, format: ValueFormat): boolean {
  if (typeof format === 'string') return FORMAT_TESTS[format](value);
  return matchesValuePattern(value, format.pattern);
}

/** Values found at an Entra-style target path (`emails[type eq "work"].value`). */
export function valuesAtPath(resource: Json, pathText: string, type: ResourceTypeDef): unknown[] {
  let path;
  try {
    path = parsePatchPath(pathText, type);
  } catch {
    return [];
  }
  if (path.extension) {
    const extension = ownValue(resource, path.extension);
    return extension === undefined ? [] : [extension];
  }
  const ref = path.ref!;
  const { value, resolved } = attributeValue(resource, ref, (r) => resolveAttribute(type, r));
  let items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (path.filter) items = items.filter((item) => matchesElement(path.filter!, item, resolved?.def));
  const sub = path.subAttribute ?? ref.sub;
  if (sub !== undefined) {
    items = items
      .map((item) => ownValue(item, findAttributeIn(resolved?.def.subAttributes, sub)?.name ?? sub))
      .filter((v) => v !== undefined && v !== null);
  } else if (items.length > 0 && isPlainObject(items[0]) && resolved?.def.name === 'manager') {
    items = items.map((item) => ownValue(item, 'value')).filter((v) => v !== undefined);
  }
  return items.filter((v) => v !== '');
}

function vendorError(behaviour: VendorBehaviour, detail: string, rule: string): ScimError {
  return new ScimError(behaviour.validationError.status, behaviour.validationError.scimType, detail, rule);
}

/** Drops or rejects top-level attributes outside `supportedAttributes`. */
export function applySupportedAttributes(resource: Json, behaviour: VendorBehaviour): Json {
  if (!behaviour.supportedAttributes) return resource;
  const allowed = new Set(['id', 'meta', 'schemas', ...behaviour.supportedAttributes].map((a) => a.toLowerCase()));
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (allowed.has(key.toLowerCase())) out[key] = value;
    else if (behaviour.unsupportedAttributes === 'reject') {
      throw badRequest('invalidValue', `${behaviour.name} does not support the attribute "${key}"`, `vendor.unsupported-attribute:${key}`);
    }
  }
  return out;
}

/** The Entra target names a top-level attribute's value came from: `addresses[type eq "work"].locality`, `name.givenName`. */
function targetsOf(key: string, value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((element) => {
      if (element === null || typeof element !== 'object') return [key];
      const record = element as Record<string, unknown>;
      const where = typeof record.type === 'string' ? `${key}[type eq "${record.type}"]` : key;
      const subs = Object.keys(record).filter((sub) => sub !== 'type' && sub !== 'primary');
      return subs.length === 0 ? [where] : subs.map((sub) => `${where}.${sub}`);
    });
  }
  if (value !== null && typeof value === 'object' && !key.toLowerCase().startsWith('urn:')) return Object.keys(value).map((sub) => `${key}.${sub}`);
  if (value !== null && typeof value === 'object') return Object.keys(value).map((sub) => `${key}:${sub}`);
  return [key];
}

/**
 * What the request log says when the server accepted a user but dropped attributes it does not support: the vendor
 * rules the preview reports for those targets (`vendor.lenient:CODE targets — message`), or null when none applies.
 */
export function leniencyNote(before: Json, after: Json, behaviour: VendorBehaviour): string | null {
  if (!behaviour.lenientRuleFor) return null;
  const kept = new Set(Object.keys(after).map((key) => key.toLowerCase()));
  const byCode = new Map<string, { message: string; targets: string[] }>();
  for (const [key, value] of Object.entries(before)) {
    if (kept.has(key.toLowerCase())) continue;
    for (const target of [...new Set(targetsOf(key, value))]) {
      const rule = behaviour.lenientRuleFor(target);
      if (!rule) continue;
      const entry = byCode.get(rule.code) ?? { message: rule.message, targets: [] };
      byCode.set(rule.code, entry);
      entry.targets.push(target);
    }
  }
  if (byCode.size === 0) return null;
  const parts = [...byCode].map(([code, { message, targets }]) => `${code} ${targets.join(', ')} — ${message}`);
  return `vendor.lenient:${parts.join(' | ')} (${behaviour.name}'s guide does not say its API rejects these, so the mock accepts the user and drops them)`;
}

/** Required, format and allowed-value checks on a user about to be stored. */
export function checkUserRules(resource: Json, behaviour: VendorBehaviour, type: ResourceTypeDef): void {
  for (const rule of behaviour.userAttributes) {
    const values = valuesAtPath(resource, rule.path, type);
    if (rule.required && values.length === 0) {
      throw vendorError(behaviour, `${behaviour.name} requires "${rule.path}"`, `vendor.required:${rule.path}`);
    }
    for (const value of values) {
      const text = String(value);
      if (rule.format && !matchesFormat(text, rule.format)) {
        throw vendorError(behaviour, `"${rule.path}" must be ${formatName(rule.format)}, got "${text}"`, `vendor.format:${rule.path}`);
      }
      if (rule.allowedValues) {
        const ok = rule.caseSensitive ? rule.allowedValues.includes(text) : rule.allowedValues.some((a) => a.toLowerCase() === text.toLowerCase());
        if (!ok) {
          throw vendorError(behaviour, `"${rule.path}" must be one of ${rule.allowedValues.join(', ')}, got "${text}"`, `vendor.allowed-values:${rule.path}`);
        }
      }
    }
  }
}

/** The vendor's check on a group name, with its kind of error. */
export function checkGroupName(displayName: string, behaviour: VendorBehaviour): void {
  const forbidden = behaviour.forbiddenGroupNameCharacters?.find((c) => displayName.includes(c));
  if (forbidden !== undefined) {
    throw vendorError(behaviour, `${behaviour.name} does not accept "${forbidden}" in a group name, got "${displayName}"`, 'vendor.group-name');
  }
}

/** Paths whose values must be unique across users, besides userName (always unique). */
export function uniqueUserPaths(behaviour: VendorBehaviour): string[] {
  return behaviour.userAttributes.filter((r) => r.unique && r.path.toLowerCase() !== 'username').map((r) => r.path);
}
