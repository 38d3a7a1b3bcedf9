/**
 * The expression check (issue 14): every checked mapping row evaluated for a sample of users twice, once by the
 * preview's own engine and once by Entra through parseExpression, and a verdict per row and user.
 */
import type { CHECK_VERDICTS } from '../../../shared/api/synchronization.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { MAX_EXPRESSION_LENGTH } from '../../../shared/expressions/index.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet, type CompiledRow } from '../../../shared/preview/compile.ts';
import { evaluateRow, type RowResult } from '../../../shared/preview/engine.ts';
import { GraphCallCancelledError, type GraphClient } from '../directory/graph-client.ts';
import { callParseExpression, parseExpressionRequest, type JobDefinitions, type ParseExpressionResponse } from './parse-expression.ts';
import { explainDenied } from './permissions.ts';
import type { SampledUser } from './sample.ts';

export type Verdict = (typeof CHECK_VERDICTS)[number];

export interface CheckedRow {
  targetAttribute: string;
  expression: string;
  userPrincipalName: string | null;
  sourceId: string;
  /** the value in Entra's form: the array of strings parseExpression answers with ([] when nothing is sent) */
  ours: { ok: boolean; value: string[] | null; error?: string };
  entra: { parsingSucceeded: boolean; evaluationSucceeded: boolean; value: string[] | null; error: string | null };
  verdict: Verdict;
  /** the source attributes the expression reads */
  attributes: string[];
}

/** A row not sent to Entra, and why. */
export interface SkippedRow {
  targetAttribute: string;
  reason: string;
}

export interface ExpressionCheckResult {
  checked: number;
  agreed: number;
  differed: number;
  refused: number;
  rows: CheckedRow[];
  skipped: SkippedRow[];
  /** the run was cancelled: `rows` holds what was checked before */
  cancelled: boolean;
}

interface ExpressionCheckInput {
  client: GraphClient;
  servicePrincipalId: string;
  jobId: string;
  set: MappingSet;
  sample: readonly SampledUser[];
  definitions: JobDefinitions;
  /** direct and constant rows too (expression rows are always checked) */
  allRows?: boolean;
  /** parseExpression calls in flight at once (default 4) */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onWait?: (seconds: number) => void;
}

/** The preview's value in Entra's form: strings, Booleans as "True"/"False", nothing for null, empty and ignore. */
export function entraForm(result: RowResult): string[] | null {
  if (result.kind === 'error') return null;
  if (result.kind !== 'value') return [];
  const value = result.value;
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => (typeof item === 'boolean' ? (item ? 'True' : 'False') : typeof item === 'object' ? JSON.stringify(item) : String(item)));
}

/** Entra's answer with empty strings dropped: an empty value is not sent, as the preview does not send it. */
function sentForm(values: readonly string[] | null): string[] {
  return (values ?? []).filter((value) => value !== '');
}

function verdictOf(ours: CheckedRow['ours'], entra: CheckedRow['entra']): Verdict {
  const entraOk = entra.parsingSucceeded && entra.evaluationSucceeded;
  if (!ours.ok) return entraOk ? 'ours-refused' : 'both-refused';
  if (!entraOk) return 'entra-refused';
  const a = sentForm(ours.value);
  const b = sentForm(entra.value);
  return a.length === b.length && a.every((value, i) => value === b[i]) ? 'agree' : 'differ';
}

/** The rows the check sends, and the ones it cannot (flagged before any call). */
export function rowsToCheck(compiled: CompiledMappingSet, allRows: boolean): { rows: CompiledRow[]; skipped: SkippedRow[] } {
  const rows: CompiledRow[] = [];
  const skipped: SkippedRow[] = [];
  for (const row of compiled.rows) {
    if (row.expression === null) continue;
    if (!allRows && row.mappingType !== 'Expression') continue;
    if (row.expression.length > MAX_EXPRESSION_LENGTH) {
      skipped.push({ targetAttribute: row.target, reason: `the expression is ${row.expression.length} characters; Entra accepts at most ${MAX_EXPRESSION_LENGTH}, so it was not sent` });
      continue;
    }
    if (row.program?.nonDeterministic) {
      skipped.push({ targetAttribute: row.target, reason: 'the expression gives a new value on every run (Guid, RandomString or Now), so two evaluations cannot be compared' });
      continue;
    }
    rows.push(row);
  }
  return { rows, skipped };
}

function oursFor(compiled: CompiledMappingSet, row: CompiledRow, user: SourceObject): CheckedRow['ours'] {
  if (row.compileFailed) {
    const finding = compiled.findings.find((f) => f.attribute === row.target && f.code === 'EXPRESSION_ERROR');
    return { ok: false, value: null, error: finding?.message ?? 'the expression does not compile' };
  }
  const result = evaluateRow(row, user);
  if (result.kind === 'error') return { ok: false, value: null, error: `${result.message} (${result.code})` };
  return { ok: true, value: entraForm(result) };
}

function entraFor(answer: ParseExpressionResponse): CheckedRow['entra'] {
  const error = answer.error ? [answer.error.code, answer.error.message].filter(Boolean).join(': ') : null;
  return { parsingSucceeded: answer.parsingSucceeded, evaluationSucceeded: answer.evaluationSucceeded, value: answer.evaluationResult, error };
}

export function summarise(rows: CheckedRow[], skipped: SkippedRow[], cancelled: boolean): ExpressionCheckResult {
  const count = (verdict: Verdict) => rows.filter((row) => row.verdict === verdict).length;
  return {
    checked: rows.length,
    agreed: count('agree'),
    differed: count('differ'),
    refused: rows.length - count('agree') - count('differ'),
    rows,
    skipped,
    cancelled,
  };
}

export async function checkExpressions(input: ExpressionCheckInput): Promise<ExpressionCheckResult> {
  const compiled = compileMappingSet(input.set);
  const { rows, skipped } = rowsToCheck(compiled, input.allRows ?? false);
  const cases = rows.flatMap((row) => input.sample.map(({ user }) => ({ row, user })));
  const results: (CheckedRow | undefined)[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  let cancelled = false;
  let failed = false;
  const job = { servicePrincipalId: input.servicePrincipalId, jobId: input.jobId };

  async function worker(): Promise<void> {
    while (next < cases.length && !input.signal?.aborted && !failed) {
      const index = next++;
      const { row, user } = cases[index]!;
      const request = parseExpressionRequest(row.expression!, user, row.target, input.definitions);
      let answer: ParseExpressionResponse;
      try {
        answer = await callParseExpression(input.client, job, request, { signal: input.signal, onWait: input.onWait });
      } catch (error) {
        if (error instanceof GraphCallCancelledError) return;
        failed = true;
        throw explainDenied(error, 'parseExpression');
      }
      const ours = oursFor(compiled, row, user);
      const entra = entraFor(answer);
      results[index] = {
        targetAttribute: row.target,
        expression: row.expression!,
        userPrincipalName: typeof user.userPrincipalName === 'string' ? user.userPrincipalName : null,
        sourceId: String(user.objectId ?? ''),
        ours,
        entra,
        verdict: verdictOf(ours, entra),
        attributes: [...(row.program?.referencedAttributes ?? [])],
      };
      input.onProgress?.(++done, cases.length);
    }
  }

  const workers = Array.from({ length: Math.max(1, Math.min(input.concurrency ?? 4, cases.length)) }, () => worker());
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  if (input.signal?.aborted) cancelled = true;
  return summarise(results.filter((row): row is CheckedRow => row !== undefined), skipped, cancelled);
}
