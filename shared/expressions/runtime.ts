import type { Node } from './ast.ts';
import type { SourceObject } from '../directory/source-object.ts';
import { EvalError } from './diagnostics.ts';
import type { UnverifiedRule } from './fidelity.ts';
import type { ExprValue } from './value.ts';

/**
 * One app role assigned to the user for this service principal (Microsoft Learn "Customize user provisioning
 * attribute-mappings", "Provisioning a role to a SCIM app").
 */
export interface AppRoleAssignment {
  id: string;
  value: string;
  displayName: string;
}

/**
 * The test context (Microsoft Learn "Reference for writing expressions for attribute mappings":
 * AppRoleAssignmentsComplex, DefaultDomain, Guid, Now, RandomString): what the engine cannot know from the source
 * object alone.
 */
export interface EvalContext {
  /** the clock for Now(), DateDiff etc.; the real clock when absent */
  now?: Date;
  /** the tenant's default verified domain, for DefaultDomain() */
  defaultDomain?: string;
  /** values that already exist in the target for this attribute, for SelectUniqueValue */
  existingValues?: Iterable<string>;
  /** the user's app role assignments; [appRoleAssignments] reads these when given */
  appRoleAssignments?: readonly AppRoleAssignment[];
  /** the target attribute of the mapping, e.g. roles[primary eq "True"].value (SingleAppRoleAssignment) */
  targetAttribute?: string;
  /** §3.3: strict (default) fails an IIF whose condition uses a null/empty attribute; lenient skips guarded ones */
  iifMode?: 'strict' | 'lenient';
  /** seeds Guid() and RandomString() so previews can be reproduced */
  seed?: number;
}

/** Per-evaluation state. Created by Program.evaluate for each source object. */
export interface Env {
  readonly source: SourceObject;
  readonly context: EvalContext;
  steps: number;
  flags: Set<UnverifiedRule> | null;
  nowTicks: bigint | undefined;
  random: (() => number) | undefined;
  existing: ReadonlySet<string> | undefined;
}

export type Evaluator = (env: Env) => ExprValue;

/** A compiled argument; null stands for an empty argument ("parameter not supplied", §2.2). */
export type CompiledArg = {
  readonly evaluate: Evaluator;
  readonly node: Node;
  /** the value when the argument is a literal, so functions can precompute (regex, formats) */
  readonly constant: ExprValue | undefined;
} | null;

/** Where a call sits in the text, for runtime errors that point at the call or one of its arguments. */
export class CallSite {
  constructor(
    readonly name: string,
    readonly start: number,
    readonly end: number,
    readonly argNodes: readonly Node[],
  ) {}

  fail(code: string, message: string, argIndex?: number): never {
    const node = argIndex === undefined ? undefined : this.argNodes[argIndex];
    throw new EvalError(code, message, node ? node.start : this.start, node && node.end > node.start ? node.end : this.end);
  }
}

export function flag(env: Env, rule: UnverifiedRule): void {
  (env.flags ??= new Set()).add(rule);
}

/** Bounds that keep one evaluation small whatever the expression (issue 3, "Bounded"). */
export const LIMITS = {
  /** function calls per evaluation; each call runs at most once, so this is a backstop */
  maxSteps: 100_000,
  /** characters in any one text value */
  maxTextLength: 1_000_000,
  /** values in a multi-valued value */
  maxValues: 100_000,
} as const;

/** Fails the call before it builds a text longer than LIMITS.maxTextLength. */
export function checkTextSize(length: number, call: CallSite): void {
  if (length > LIMITS.maxTextLength) {
    call.fail('VALUE_TOO_LARGE', `${call.name}: the result would be ${length.toLocaleString('en-US')} characters, more than the engine's limit of ${LIMITS.maxTextLength.toLocaleString('en-US')}`);
  }
}
