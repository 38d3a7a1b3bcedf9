import type { JsonValue } from './target-path.ts';

/** Which PATCH shapes Entra emits: the tenant URL's `aadOptscim062020` flag selects the RFC-closer one (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service"). */
export type ScimDialect = 'default' | 'aadOptscim062020';

/** One element of a multi-valued complex result: an app role of AppRoleAssignmentsComplex (Microsoft Learn "Reference for writing expressions for attribute mappings", "AppRoleAssignmentsComplex"). */
export type ComplexValue = Readonly<Record<string, string | boolean>>;

/** A mapping's result after evaluation, with Entra's own value kinds reduced to what can reach the wire. */
export type MappedValue = string | boolean | number | bigint | readonly string[] | readonly ComplexValue[];

export function isComplexList(value: MappedValue): value is readonly ComplexValue[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null;
}

export type TargetAttributeType = 'String' | 'Boolean' | 'Integer' | 'DateTime' | 'Reference' | 'Binary';

export interface TargetAttributeInfo {
  readonly type: TargetAttributeType;
  readonly multivalued: boolean;
  /**
   * For complex role lists (Microsoft Learn "Customize user provisioning attribute-mappings", "Provisioning a role to a SCIM app"): AppRoleAssignmentsComplex only ever adds roles ('add', the
   * default); AssertiveAppRoleAssignmentsComplex replaces the whole list ('replace').
   */
  readonly complexFlow?: 'add' | 'replace';
}

export const STRING_ATTRIBUTE: TargetAttributeInfo = Object.freeze({ type: 'String', multivalued: false });

/** Where a value is going: a POST body, or a PATCH operation in one of the two dialects. */
type WireContext = 'post' | ScimDialect;

function booleanOf(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

function scalarToString(value: string | boolean | number | bigint): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/**
 * Converts a mapped value to JSON by the target attribute's type (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Create User"):
 * Boolean → JSON boolean in a POST and with aadOptscim062020, but in the default PATCH dialect the string the
 * mapping produced, verbatim ("False", or "false" after an admin edits the Switch: §1.9); Integer → number;
 * everything else → string. A multi-valued result goes to a multi-valued target as an array; a single-valued
 * target gets its first value.
 */
export function toWireValue(value: MappedValue, info: TargetAttributeInfo, context: WireContext): JsonValue {
  if (isComplexList(value)) return complexToWire(value, context);
  if (Array.isArray(value)) {
    const values = value as readonly string[];
    if (info.multivalued) return values.map((v) => v);
    return values.length === 0 ? null : toWireValue(values[0]!, info, context);
  }
  const scalar = value as string | boolean | number | bigint;
  if (info.multivalued) return [scalarToString(scalar)];
  switch (info.type) {
    case 'Boolean': {
      const asBoolean = typeof scalar === 'boolean' ? scalar : booleanOf(String(scalar));
      if (asBoolean === undefined) return scalarToString(scalar);
      if (context === 'default') return typeof scalar === 'string' ? scalar : scalarToString(scalar);
      return asBoolean;
    }
    case 'Integer': {
      if (typeof scalar === 'number') return scalar;
      if (typeof scalar === 'bigint') {
        return scalar >= BigInt(Number.MIN_SAFE_INTEGER) && scalar <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(scalar)
          : scalar.toString();
      }
      if (typeof scalar === 'string' && /^-?\d{1,15}$/.test(scalar)) return Number(scalar);
      return scalarToString(scalar);
    }
    default:
      return scalarToString(scalar);
  }
}

/** The id/value/displayName document Entra puts inside a role's `value` string in a default-dialect PATCH. */
function roleDocument(role: ComplexValue): string {
  const document: Record<string, string | boolean> = {};
  if (role.id !== undefined) document.id = role.id;
  if (role.value !== undefined) document.value = role.value;
  const display = role.displayName ?? role.display;
  if (display !== undefined) document.displayName = display;
  return JSON.stringify(document);
}

/**
 * A complex list is always an array (roles is multi-valued complex, RFC 7643 §4.1.2), whatever the attribute
 * list says. POST and the aadOptscim062020 PATCH carry the objects; the default PATCH dialect wraps each role as
 * a JSON document inside a string, `{"value": "{\"id\":…,\"value\":…,\"displayName\":…}"}` (Microsoft Learn "Customize user provisioning attribute-mappings", "Provisioning a role to a SCIM app").
 */
function complexToWire(values: readonly ComplexValue[], context: WireContext): JsonValue {
  if (context === 'default') return values.map((role) => ({ value: roleDocument(role) }));
  return values.map((role) => ({ ...role }));
}
