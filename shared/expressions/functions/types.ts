import type { CallNode, Node } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { CallSite, CompiledArg, Env, Evaluator } from '../runtime.ts';
import type { ExprValue } from '../value.ts';

/** What a parameter expects, for the checker's messages, hover docs and signature help. */
export type ParamType = 'string' | 'number' | 'boolean' | 'datetime' | 'multi' | 'any' | 'enum' | 'roles';

export interface ParamInfo {
  name: string;
  type: ParamType;
  /** may be left empty or omitted */
  optional?: boolean;
  /** may repeat (Join's sources, Coalesce's values, SelectUniqueValue's rules) */
  repeatable?: boolean;
  description: string;
}

export interface FunctionExample {
  expression: string;
  /** the source object the example assumes, if any */
  source?: Readonly<Record<string, string | boolean | readonly string[]>>;
  /** the result as the engine renders it */
  result: string;
}

/** The public part of a catalogue entry: what completion, hover, the checker and reports read. */
export interface FunctionInfo {
  name: string;
  /** one module per family: strings, logic, dates, regex, encoding, multi-valued, context, app roles */
  family: 'strings' | 'logic' | 'dates' | 'regex' | 'encoding' | 'multi-valued' | 'context' | 'app roles';
  /** what the function does, in our own words */
  description: string;
  params: readonly ParamInfo[];
  minArgs: number;
  /** Infinity when the last parameter repeats */
  maxArgs: number;
  returns: 'string' | 'number' | 'boolean' | 'datetime' | 'multi' | 'any' | 'roles';
  examples: readonly FunctionExample[];
  /** where Microsoft documents it: FN (function reference), CAA (customize attributes) or GRAPH-FN */
  documentedIn: 'FN' | 'CAA' | 'GRAPH-FN';
  /** Guid, RandomString, Now: a new value on every evaluation */
  nonDeterministic?: boolean;
  /** must be the outermost call of the expression (SelectUniqueValue) */
  topLevelOnly?: boolean;
}

export interface CheckContext {
  report(diagnostic: Omit<Diagnostic, 'kind'> & { kind?: Diagnostic['kind'] }): void;
  /** the call's parent call, or null at the top level */
  parent: CallNode | null;
}

export interface FunctionDef extends FunctionInfo {
  /** a custom arity rule: the message for a wrong argument count, or undefined when the count is fine */
  arityError?(count: number): string | undefined;
  /** function-specific save-time rules beyond arity and empty required arguments */
  check?(call: CallNode, cx: CheckContext): void;
  /** turns compiled arguments into the call's evaluator (compile once, run many) */
  compile(args: readonly CompiledArg[], call: CallSite): Evaluator;
}

const EMPTY_ARG: Evaluator = () => ({ kind: 'null' });

/** The evaluator of an argument, treating an empty argument as null. */
export function argEvaluator(arg: CompiledArg | undefined): Evaluator {
  return arg ? arg.evaluate : EMPTY_ARG;
}

/** A function whose arguments are all evaluated first (§3.4), with arity-specialised closures. */
export function strict(args: readonly CompiledArg[], body: (values: ExprValue[], env: Env) => ExprValue): Evaluator {
  const evaluators = args.map(argEvaluator);
  switch (evaluators.length) {
    case 0:
      return (env) => body([], env);
    case 1: {
      const [a] = evaluators as [Evaluator];
      return (env) => body([a(env)], env);
    }
    case 2: {
      const [a, b] = evaluators as [Evaluator, Evaluator];
      return (env) => body([a(env), b(env)], env);
    }
    case 3: {
      const [a, b, c] = evaluators as [Evaluator, Evaluator, Evaluator];
      return (env) => body([a(env), b(env), c(env)], env);
    }
    default:
      return (env) => body(evaluators.map((evaluate) => evaluate(env)), env);
  }
}

export function param(name: string, type: ParamType, description: string, extra: Pick<ParamInfo, 'optional' | 'repeatable'> = {}): ParamInfo {
  return { name, type, description, ...extra };
}

/** The text of a literal argument (string or decimal number), for save-time checks. */
export function literalText(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.value;
  if (node.type === 'number' && node.hex === undefined) return node.text;
  return undefined;
}
