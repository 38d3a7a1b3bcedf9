/**
 * Provisioning-log error codes in plain words with the fix (Microsoft Learn "How to download and analyze the Microsoft
 * Entra provisioning logs", "Error codes"). Entra prefixes many codes with the connector's name
 * (SystemForCrossDomainIdentityManagementEntryConflict, ContosoEntryConflict), so a code is matched by its ending.
 */

interface Explanation {
  explanation: string;
  fix: string;
}

const CODES: Record<string, Explanation> = {
  EntryConflict: {
    explanation: 'The app already holds a user with the same value in a unique attribute, and Entra did not match it to this user.',
    fix: 'Correct the conflicting value in Entra or in the app, or change the matching attribute if that account should have been matched and taken over.',
  },
  Conflict: {
    explanation: 'The app answered 409 Conflict: a user with the same unique value exists there.',
    fix: 'Correct the conflicting value in Entra or in the app, or review the matching attribute.',
  },
  TooManyRequests: { explanation: 'The app refused the request because it was overloaded.', fix: 'Nothing to do: Entra retries it.' },
  InternalServerError: { explanation: 'The app returned an unexpected server error.', fix: 'Entra retries in about 40 minutes; if it persists, ask the vendor.' },
  InsufficientRights: {
    explanation: 'Entra signed in to the app but was not allowed to make this change.',
    fix: "Check the Secret Token's rights with the vendor's setup instructions.",
  },
  MethodNotAllowed: { explanation: 'The app does not allow this operation for this token.', fix: "Check the Secret Token's rights with the vendor's setup instructions." },
  NotPermitted: { explanation: 'The app does not permit this change.', fix: "Check the Secret Token's rights with the vendor's setup instructions." },
  Unauthorized: { explanation: 'The app did not accept the credentials for this change.', fix: 'Check the Secret Token, then Test Connection.' },
  UnprocessableEntity: { explanation: 'The app could not process the request.', fix: "Check the mappings against the app's attribute requirements, or ask the vendor." },
  WebExceptionProtocolError: { explanation: 'An HTTP protocol error occurred talking to the app.', fix: 'Nothing to do: Entra retries in about 40 minutes.' },
  InvalidAnchor: {
    explanation: 'A user Entra created or matched earlier no longer exists in the app.',
    fix: 'Make sure the user exists; restarting the job forces all users to be matched again.',
  },
  NotImplemented: { explanation: 'The app answered that it does not implement this request.', fix: "Check the app's SCIM support with the vendor." },
  MandatoryFieldsMissing: {
    explanation: 'The user could not be created because a required value is missing.',
    fix: 'Fill the missing source attribute, or map a value (or a default) to the required attribute.',
  },
  MissingValues: { explanation: 'A required value is missing.', fix: 'Fill the missing source attribute, or map a value to the required attribute.' },
  SchemaAttributeNotFound: {
    explanation: 'A mapped attribute does not exist in the app.',
    fix: 'Remove the mapping or correct the target attribute name.',
  },
  InternalError: { explanation: 'An internal error in the Entra provisioning service.', fix: 'Nothing to do: Entra retries in about 40 minutes.' },
  InvalidDomain: { explanation: 'A value carries a domain the app does not accept.', fix: "Change the user's domain, or allow it in the app." },
  Timeout: { explanation: 'The app took too long to answer.', fix: 'Nothing to do: Entra retries in about 40 minutes.' },
  LicenseLimitExceeded: { explanation: 'The app has no licence left for this user.', fix: 'Buy more licences, or review who is assigned.' },
  DuplicateTargetEntries: {
    explanation: 'More than one user in the app matches this user on the matching attributes.',
    fix: 'Remove the duplicate in the app, or choose a matching attribute that is unique.',
  },
  DuplicateSourceEntries: {
    explanation: 'More than one Entra user has the same matching value.',
    fix: 'Remove the duplicate, or choose a matching attribute that is unique.',
  },
  ImportSkipped: {
    explanation: 'The user has no value for the matching attribute, so Entra could not evaluate it.',
    fix: 'Fill the matching attribute for the user.',
  },
  EntrySynchronizationSkipped: {
    explanation: 'Entra evaluated the user and took no action (out of scope, or nothing to change).',
    fix: 'Nothing, unless the user should be in scope: check assignment and scoping filters.',
  },
  MultipleEntriesInResponse: {
    explanation: 'A GET for one user or group returned several.',
    fix: "The app's filter support is wrong: ask the vendor to answer a filter with the one matching resource.",
  },
  ServiceIncompatible: { explanation: "Entra could not parse the app's response.", fix: "Ask the vendor to make the SCIM endpoint compatible with Entra's SCIM client." },
  SchemaPropertyCanOnlyAcceptValue: {
    explanation: 'The app accepts one value for this attribute but Entra sent several.',
    fix: 'Map a single-valued source, or pick one value in the expression (for example with Item or SingleAppRoleAssignment).',
  },
};

const BY_LENGTH = Object.keys(CODES).sort((a, b) => b.length - a.length);

/** The explanation of an error code, matched by its ending; null for a code not listed. */
export function explainErrorCode(errorCode: string): (Explanation & { known: string }) | null {
  const lower = errorCode.toLowerCase();
  const known = BY_LENGTH.find((code) => lower.endsWith(code.toLowerCase()));
  return known ? { ...CODES[known]!, known } : null;
}

/** A conflict on a unique attribute: the vendor's matching knowledge applies. */
export function isConflict(known: string | undefined): boolean {
  return known === 'EntryConflict' || known === 'Conflict' || known === 'DuplicateTargetEntries';
}
