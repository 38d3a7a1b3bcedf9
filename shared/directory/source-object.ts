/**
 * The source object: one user (or group) as Entra's provisioning engine sees it, keyed by the provisioning attribute
 * names used in expressions (`[telephoneNumber]`, `[extensionAttribute3]`), not by Microsoft Graph property names.
 * Absent keys and `null` both mean "no value" (Microsoft Learn "Reference for writing expressions for attribute
 * mappings", IsNullOrEmpty).
 */
type SourceScalar = string | boolean | number;
export type SourceValue = SourceScalar | readonly string[] | null;
export type SourceObject = Readonly<Record<string, SourceValue>>;
