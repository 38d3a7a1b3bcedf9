/**
 * Entra's value model (Microsoft Learn "Reference for writing expressions for attribute mappings"), made explicit so
 * that null, empty string, "True"/"False", Int64 and the ignore-flow marker are never guessed from JavaScript's own
 * types.
 */
export type ExprValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** 64-bit integers (NumFromDate exceeds 2^53) and decimals from literals such as 42568.75 */
  | { readonly kind: 'number'; readonly value: bigint | number }
  /** an instant; `ticks` is .NET ticks (100 ns since 0001-01-01 UTC) so sub-millisecond values survive */
  | { readonly kind: 'datetime'; readonly ticks: bigint }
  | { readonly kind: 'multi'; readonly values: readonly ExprValue[] }
  /**
   * a complex value with named sub-attributes: the role objects of AppRoleAssignmentsComplex (Microsoft Learn
   * "Reference for writing expressions for attribute mappings", AppRoleAssignmentsComplex), e.g. { primary: false,
   * type: "WindowsAzureActiveDirectoryRole", displayName, value }
   */
  | { readonly kind: 'complex'; readonly fields: Readonly<Record<string, string | boolean>> }
  /**
   * IgnoreFlowIfNullOrEmpty's marker: the attribute is dropped from the operation (Microsoft Learn "Reference for
   * writing expressions for attribute mappings", IgnoreFlowIfNullOrEmpty)
   */
  | { readonly kind: 'ignore' };

export const NULL: ExprValue = Object.freeze({ kind: 'null' });
export const IGNORE: ExprValue = Object.freeze({ kind: 'ignore' });

export const TRUE: ExprValue = Object.freeze({ kind: 'boolean', value: true });
export const FALSE: ExprValue = Object.freeze({ kind: 'boolean', value: false });
export const EMPTY_STRING: ExprValue = Object.freeze({ kind: 'string', value: '' });

export function stringValue(value: string): ExprValue {
  return value === '' ? EMPTY_STRING : { kind: 'string', value };
}
export function booleanValue(value: boolean): ExprValue {
  return value ? TRUE : FALSE;
}
export function numberValue(value: bigint | number): ExprValue {
  return { kind: 'number', value };
}
export function datetimeValue(ticks: bigint): ExprValue {
  return { kind: 'datetime', ticks };
}
export function multiValue(values: readonly ExprValue[]): ExprValue {
  return { kind: 'multi', values };
}
