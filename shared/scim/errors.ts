/**
 * SCIM protocol errors (RFC 7644 §3.12). Every rejection the mock server sends is one of these, so
 * the request log can name the rule that decided it and the body always has the SCIM Error shape.
 */

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 table 9, plus nothing else: vendors that invent their own scimType are emulated via `detail`. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

interface ScimErrorBody {
  schemas: [typeof ERROR_URN];
  /** a string, not a number (RFC 7644 §3.12) */
  status: string;
  scimType?: ScimType;
  detail?: string;
}

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  /**
   * Which rule decided the rejection (e.g. `strict.string-boolean`, `vendor.required:name.givenName`).
   * Shown in the request log; never sent to the client.
   */
  readonly rule: string;

  constructor(status: number, scimType: ScimType | undefined, detail: string, rule?: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.rule = rule ?? (scimType ? `scim.${scimType}` : `http.${status}`);
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_URN], status: String(this.status) };
    if (this.scimType) body.scimType = this.scimType;
    body.detail = this.message;
    return body;
  }
}

/** Shorthands for the 400-class errors with a scimType. */
export const badRequest = (scimType: ScimType, detail: string, rule?: string): ScimError =>
  new ScimError(400, scimType, detail, rule);

export const notFound = (detail: string): ScimError => new ScimError(404, undefined, detail, 'scim.notFound');

export const conflict = (detail: string, rule?: string): ScimError =>
  new ScimError(409, 'uniqueness', detail, rule ?? 'scim.uniqueness');
