import type { SourceObject } from '../directory/source-object.ts';
import type { RenderedRequest } from '../scim/requests/render.ts';
import type { JsonObject } from '../scim/requests/target-path.ts';
import type { ScimDialect } from '../scim/requests/wire.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One finding, mapping-level (no userId) or about one user. The vendor rules (next issue) use the same shape. */
export interface Finding {
  severity: Severity;
  code: string;
  /** the target attribute the finding is about */
  attribute?: string;
  userId?: string;
  message: string;
  /** what to do about it, in the portal's words */
  fix?: string;
  /** the expression and the span the finding points at, so an editor can underline it */
  source?: { expression: string; start: number; end: number };
}

/**
 * What Entra does with a user in this cycle. `skip` covers out-of-scope and disabled users that were never
 * provisioned, and users Entra cannot process (no matching value); `reason` says which.
 */
export type UserAction = 'create' | 'update' | 'deactivate' | 'delete' | 'none' | 'skip' | 'error';
export const USER_ACTIONS: readonly UserAction[] = ['create', 'update', 'deactivate', 'delete', 'none', 'skip', 'error'];

export interface UserPreview {
  id: string;
  userPrincipalName: string | null;
  inScope: boolean;
  action: UserAction;
  reason?: string;
  /** the resource as the vendor would hold it after the requests (null when it does not exist there) */
  target: JsonObject | null;
  /** in order; the first is the match query whenever anything is sent */
  requests: RenderedRequest[];
  findings: Finding[];
  /** unverified rules (shared/expressions/fidelity.ts) the user's values depend on; absent when none */
  unverifiedRules?: string[];
}

export interface PreviewSummary {
  users: number;
  byAction: Record<UserAction, number>;
  errors: number;
  warnings: number;
}

/** Per target attribute over the evaluated users: a value sent, an empty string, null (nothing sent), an error. */
export interface CoverageData {
  target: string;
  value: number;
  empty: number;
  null: number;
  error: number;
}

export interface PreviewResult {
  vendor: string | null;
  dialect: ScimDialect;
  findings: Finding[];
  users: UserPreview[];
  summary: PreviewSummary;
  /** per target attribute, what the evaluated users send (summary.ts coverageOf): the chart and the report read this */
  coverage: CoverageData[];
}

/** What the target holds for a user provisioned in an earlier cycle (the link Entra caches). */
export interface PreviousTarget {
  targetId: string;
  resource: JsonObject;
  /** the source object as it was, to evaluate the `active` mapping when the user has since disappeared */
  source: SourceObject;
}

export type PreviousState = ReadonlyMap<string, PreviousTarget>;
