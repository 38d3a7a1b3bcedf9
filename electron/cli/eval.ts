import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { UNVERIFIED_RULES, compileExpression, valueToJson, valueToString, type Diagnostic, type EvalContext, type RuntimeError } from '../../shared/expressions/index.ts';
import { ProgramCache, answerCase, toSourceAndContext, type ProtocolAnswer, type ProtocolCase } from '../../shared/expressions/protocol.ts';
import { defaultWorkspacePath } from '../backend/paths.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';

const usage = `Usage: scim-planner eval 'EXPRESSION' [--source JSON | --user UPN-or-id] [options]
       scim-planner eval --jsonl < cases.jsonl

Evaluates an Entra attribute-mapping expression the way the provisioning service does and prints the
value, or the error with a caret under the part of the expression it concerns.
  --source JSON          the source object: {"givenName": "John", "proxyAddresses": ["SMTP:..."]};
                         @FILE reads it from a file
  --user REF             take the source object of this user (object id or UPN) from the workspace
  --workspace FILE       the workspace for --user (default: the app's default workspace)
  --now ISO              the clock for Now() (default: the real clock)
  --default-domain NAME  the tenant's default domain for DefaultDomain()
  --existing VALUE       a value that already exists in the target (SelectUniqueValue); repeatable
  --target ATTRIBUTE     the target attribute (SingleAppRoleAssignment), e.g. roles[primary eq "True"].value
  --schema NAMES         comma-separated valid attribute names: unknown [names] become errors
  --iif-mode MODE        strict (default) or lenient handling of null attributes in IIF conditions
  --json                 print the value as JSON
  --jsonl                read one JSON case per stdin line and answer one JSON line each (the protocol of
                         ../shared/tools/expression-vectors.mjs)
Exit codes: 0 a value, 1 the expression failed while evaluating this source (a runtime error, as Entra
would report for this user), 2 bad input: the expression does not parse or check, or bad usage.`;

export const command: CliCommand = {
  name: 'eval',
  summary: 'evaluate an attribute-mapping expression against a source object or a workspace user',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        source: { type: 'string' },
        user: { type: 'string' },
        workspace: { type: 'string' },
        now: { type: 'string' },
        'default-domain': { type: 'string' },
        existing: { type: 'string', multiple: true },
        target: { type: 'string' },
        schema: { type: 'string' },
        'iif-mode': { type: 'string' },
        json: { type: 'boolean', default: false },
        jsonl: { type: 'boolean', default: false },
      },
      true,
    );
    if (values.jsonl) {
      if (positionals.length > 0) throw new UsageError('--jsonl reads its expressions from stdin; do not pass one as an argument');
      return runJsonl(io);
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the expression to evaluate' : 'give one expression (quote it)');
    if (values.source !== undefined && values.user !== undefined) throw new UsageError('use either --source or --user, not both');
    const expression = positionals[0]!;

    const context: EvalContext = {};
    let source: SourceObject = {};
    if (values.source !== undefined) {
      const split = toSourceAndContext({ expression, source: parseSource(values.source) });
      source = split.source;
      if (split.context.appRoleAssignments) context.appRoleAssignments = split.context.appRoleAssignments;
    } else if (values.user !== undefined) {
      const { loadSourceObject } = await import('../backend/workspace/lookup.ts');
      source = (await loadSourceObject(values.workspace ?? defaultWorkspacePath(io.env), values.user)).source;
    }
    if (values.now !== undefined) {
      const now = new Date(values.now);
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now expects an ISO date-time such as 2025-07-30T00:00:00Z, got "${values.now}"`);
      context.now = now;
    }
    if (values['default-domain'] !== undefined) context.defaultDomain = values['default-domain'];
    if (values.existing !== undefined) context.existingValues = values.existing;
    if (values.target !== undefined) context.targetAttribute = values.target;
    if (values['iif-mode'] !== undefined) {
      if (values['iif-mode'] !== 'strict' && values['iif-mode'] !== 'lenient') throw new UsageError(`--iif-mode is strict or lenient, got "${values['iif-mode']}"`);
      context.iifMode = values['iif-mode'];
    }
    const schema = values.schema?.split(',').map((name) => name.trim()).filter(Boolean);

    const compiled = compileExpression(expression, schema ? { schema } : {});
    for (const diagnostic of compiled.diagnostics) {
      if (diagnostic.severity === 'info') continue;
      io.err(describe(diagnostic, expression));
    }
    // An expression that does not parse or check is bad input, like a malformed file (the README's exit codes).
    if (!compiled.ok) return EXIT_USAGE;
    const result = compiled.program.evaluate(source, context);
    if (result.unverifiedRules.length > 0) {
      const rules = result.unverifiedRules.map((rule) => `${rule} (${UNVERIFIED_RULES[rule as keyof typeof UNVERIFIED_RULES]?.source ?? 'no public source'})`);
      io.err(`note: this result depends on unverified rules: ${rules.join('; ')}`);
    }
    if (!result.ok) {
      io.err(describe(result.error, expression));
      return EXIT_PROBLEMS;
    }
    const { value } = result;
    if (values.json) io.out(JSON.stringify({ value: valueToJson(value), ...(value.kind === 'ignore' ? { flow: 'ignore' } : {}) }));
    else if (value.kind === 'ignore') io.out('(ignored: IgnoreFlowIfNullOrEmpty leaves the attribute out of the request)');
    else if (value.kind === 'null') io.out('(no value: the attribute is not sent; on create its default value is used if set)');
    else if (value.kind === 'multi' || value.kind === 'complex') io.out(JSON.stringify(valueToJson(value), null, 2));
    else io.out(valueToString(value) ?? '');
    return EXIT_OK;
  },
};

function parseSource(raw: string): Record<string, unknown> {
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--source ${raw}: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--source is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--source must be a JSON object of attribute names to values');
  return parsed as Record<string, unknown>;
}

/** "error[CODE]: message" with the expression line and a caret under the span. */
function describe(problem: Diagnostic | RuntimeError, expression: string): string {
  const severity = 'severity' in problem ? problem.severity : 'error';
  const lineStart = expression.lastIndexOf('\n', Math.max(problem.start - 1, 0)) + 1;
  const newline = expression.indexOf('\n', problem.start);
  const lineEnd = newline < 0 ? expression.length : newline;
  const line = expression.slice(lineStart, lineEnd);
  const lineNumber = expression.slice(0, lineStart).split('\n').length;
  const width = Math.max(1, Math.min(problem.end, lineEnd) - problem.start);
  const where = expression.includes('\n') ? ` (line ${lineNumber})` : '';
  const suggestion = 'suggestion' in problem && problem.suggestion !== undefined ? `\n  suggestion: ${problem.suggestion}` : '';
  return `${severity} (${problem.kind}, ${problem.code})${where}: ${problem.message}\n  ${line}\n  ${' '.repeat(problem.start - lineStart)}${'^'.repeat(width)}${suggestion}`;
}

async function runJsonl(io: CliIO): Promise<number> {
  const cache = new ProgramCache();
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer: ProtocolAnswer;
    let input: ProtocolCase | undefined;
    try {
      input = JSON.parse(line) as ProtocolCase;
    } catch (error) {
      answer = { id: null, ok: false, error: { kind: 'parse', code: 'BAD_JSON', message: `The input line is not JSON: ${(error as Error).message}`, start: 0, end: 0 } };
    }
    if (input !== undefined) {
      try {
        answer = answerCase(input, cache);
      } catch (error) {
        // a malformed case (bad context.now) is reported on its own line so the stream goes on
        answer = { id: input.id ?? null, ok: false, error: { kind: 'parse', code: 'BAD_INPUT', message: (error as Error).message, start: 0, end: 0 } };
      }
    }
    io.out(JSON.stringify(answer!));
  }
  return EXIT_OK;
}
