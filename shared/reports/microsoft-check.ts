import {
  CHECK_VERDICTS,
  type CheckedEvaluationDto,
  type PreviewCheckDto,
  type RevisionCheckDto,
} from '../api/synchronization.ts';
import { PERSONAL_ATTRIBUTES, REMOVED, type Redactor } from './redact.ts';

/**
 * "Checked with Microsoft" (issue 14): what Entra's own evaluation (Graph parseExpression) said about a mapping
 * revision's rows for a sample of users, in the words the Preview screen and every report format share. A renderer
 * only lays out what this module words, so the app and the report never describe a check differently.
 */

type Verdict = (typeof CHECK_VERDICTS)[number];
type VerdictCounts = Record<Verdict, number>;

export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = Object.freeze({
  agree: 'agrees',
  differ: 'differs',
  'entra-refused': 'Entra refused',
  'ours-refused': 'preview refused',
  'both-refused': 'both refused',
});

/** A value in Entra's form as both sides show it: the array of strings parseExpression answers with. */
function valueText(value: readonly string[] | null): string {
  return value && value.length > 0 ? JSON.stringify(value) : 'nothing (no value sent)';
}

export function ourValueText(ours: CheckedEvaluationDto['ours']): string {
  return ours.ok ? valueText(ours.value) : `refused: ${ours.error ?? 'no reason given'}`;
}

export function entraValueText(entra: CheckedEvaluationDto['entra']): string {
  return entra.parsingSucceeded && entra.evaluationSucceeded
    ? valueText(entra.value)
    : `refused: ${entra.error ?? 'no reason given'}`;
}

/** "2026-12-01 09:30 UTC": the check's time as every surface prints it. */
export function checkedOn(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

interface RowVerdicts {
  targetAttribute: string;
  expression: string;
  counts: VerdictCounts;
  /** the evaluations that did not agree, in check order */
  disagreements: CheckedEvaluationDto[];
}

/** Per mapping row (in check order): how many sampled users each verdict covers, and the users it did not agree for. */
export function rowVerdicts(evaluations: readonly CheckedEvaluationDto[]): RowVerdicts[] {
  const rows = new Map<string, RowVerdicts>();
  for (const evaluation of evaluations) {
    let row = rows.get(evaluation.targetAttribute);
    if (!row) {
      row = {
        targetAttribute: evaluation.targetAttribute,
        expression: evaluation.expression,
        counts: Object.fromEntries(CHECK_VERDICTS.map((v) => [v, 0])) as VerdictCounts,
        disagreements: [],
      };
      rows.set(evaluation.targetAttribute, row);
    }
    row.counts[evaluation.verdict] += 1;
    if (evaluation.verdict !== 'agree') row.disagreements.push(evaluation);
  }
  return [...rows.values()];
}

function usersIn(check: RevisionCheckDto): number {
  return new Set(check.evaluations.map((evaluation) => evaluation.userId)).size;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Checked with Microsoft (revision 3, 2026-12-01 09:30 UTC, job scim.…): 4 rows agree on all 6 sampled users, 1 differs." */
export function checkSummary(check: RevisionCheckDto): string {
  const rows = rowVerdicts(check.evaluations);
  const differing = rows.filter((row) => row.disagreements.length > 0).length;
  const users = usersIn(check);
  const cancelled = check.complete
    ? ''
    : ' The check was cancelled: only what was checked before it stopped is counted.';
  const skipped =
    check.skipped.length > 0
      ? ` Not sent to Entra: ${check.skipped.map((s) => `${s.targetAttribute} (${s.reason})`).join('; ')}.`
      : '';
  return (
    `Checked with Microsoft (revision ${check.revision}, ${checkedOn(check.checkedAt)}, job ${check.jobId}): ` +
    `${plural(rows.length - differing, 'row')} ${rows.length - differing === 1 ? 'agrees' : 'agree'} on all ${plural(users, 'sampled user')}, ${differing} ${differing === 1 ? 'differs' : 'differ'}.${cancelled}${skipped}`
  );
}

const HOW_TO_CHECK =
  'use "Check with Microsoft" on the Mappings screen, or `scim-planner verify --workspace FILE --revision N`';

/** What to say when the previewed or reported mapping set has no check of its own: never another revision's result. */
export function notCheckedText(
  revision: number | null,
  newestChecked: PreviewCheckDto['newestChecked'] = null,
): string {
  if (revision === null)
    return `Not checked with Microsoft: Entra's default mappings are not a saved revision, and checks are kept per revision. Save the mappings, then ${HOW_TO_CHECK}.`;
  const elsewhere =
    newestChecked && newestChecked.revision !== revision
      ? ` The newest check is of revision ${newestChecked.revision} (${checkedOn(newestChecked.checkedAt)}); it does not apply to this one.`
      : '';
  return `Not checked with Microsoft for this revision (revision ${revision}): to check it, ${HOW_TO_CHECK}.${elsewhere}`;
}

/** A report made from files (not a workspace) has no check: checks are kept with a workspace's revisions. */
export const NO_WORKSPACE_CHECK =
  'Not checked with Microsoft: checks are kept with a workspace’s mapping revisions. Run `scim-planner verify --workspace FILE`, then make the report with `--workspace FILE`.';

/** What the report knows about checks: the reported revision (null: Entra's defaults) and its newest check. */
export interface MicrosoftCheckInput {
  revision: number | null;
  check: RevisionCheckDto | null;
  newestChecked?: PreviewCheckDto['newestChecked'];
}

/** Differences a report lists per mapping row: a sample of 500 users must not turn the report into a dump. */
export const REPORT_DIFFERENCES_PER_ROW = 20;

export interface MicrosoftCheckReport {
  /** the sentence every format leads with: what was checked, when and with which job, or that nothing was */
  summary: string;
  check: {
    revision: number;
    checkedAt: string;
    servicePrincipalId: string;
    jobId: string;
    complete: boolean;
    usersChecked: number;
  } | null;
  rows: { targetAttribute: string; expression: string; counts: VerdictCounts }[];
  differences: {
    targetAttribute: string;
    user: string | null;
    verdict: Verdict;
    ours: string | null;
    entra: string | null;
  }[];
  /** differences not listed (beyond REPORT_DIFFERENCES_PER_ROW for a row): the counts still cover them */
  unlisted: number;
  /** why some users or values are left out under the report's redaction; null when nothing is */
  valuesNote: string | null;
}

/** Whether a row's results may carry a person's data: it reads an attribute that identifies someone. */
function readsPersonalData(attributes: readonly string[]): string[] {
  const personal = new Set(Object.keys(PERSONAL_ATTRIBUTES).map((name) => name.toLowerCase()));
  return attributes.filter((name) => personal.has(name.toLowerCase()));
}

/**
 * The check as the report's section, redacted the way the other sections are: user names as the finding examples
 * (pseudonyms, or none under `remove`), and values only where the samples could show them. Entra's answer cannot be
 * recomputed from pseudonyms, so a value computed from a personal attribute is left out unless redaction is off.
 */
export function microsoftCheckReport(input: MicrosoftCheckInput | undefined, redactor: Redactor): MicrosoftCheckReport {
  if (!input)
    return { summary: NO_WORKSPACE_CHECK, check: null, rows: [], differences: [], unlisted: 0, valuesNote: null };
  const { check } = input;
  if (!check)
    return {
      summary: notCheckedText(input.revision, input.newestChecked ?? null),
      check: null,
      rows: [],
      differences: [],
      unlisted: 0,
      valuesNote: null,
    };
  const rows = rowVerdicts(check.evaluations);
  const withheld = new Set<string>();
  const differences = rows.flatMap((row) =>
    row.disagreements.slice(0, REPORT_DIFFERENCES_PER_ROW).map((evaluation) => {
      const personal = readsPersonalData(evaluation.attributes);
      const showValues = redactor.mode === 'off' || (redactor.mode === 'pseudonymise' && personal.length === 0);
      if (!showValues) personal.forEach((name) => withheld.add(name));
      const user =
        redactor.mode === 'remove'
          ? null
          : evaluation.userPrincipalName === null
            ? null
            : (redactor.lookup(evaluation.userPrincipalName) ?? redactor.scrub(evaluation.userPrincipalName));
      return {
        targetAttribute: row.targetAttribute,
        user,
        verdict: evaluation.verdict,
        ours: showValues ? ourValueText(evaluation.ours) : null,
        entra: showValues ? entraValueText(evaluation.entra) : null,
      };
    }),
  );
  const hidden = differences.some((d) => d.ours === null);
  const valuesNote =
    redactor.mode === 'remove'
      ? 'Users and values are left out: this report was made with redaction "remove".'
      : hidden
        ? `Values computed from personal attributes (${[...withheld].sort().join(', ')}) are left out: Entra evaluated the real values, and its answer cannot be pseudonymised. Make the report with redaction off, or export the disagreements as expression vectors, to see them.`
        : null;
  return {
    summary: checkSummary(check),
    check: {
      revision: check.revision,
      checkedAt: check.checkedAt,
      servicePrincipalId: check.servicePrincipalId,
      jobId: check.jobId,
      complete: check.complete,
      usersChecked: usersIn(check),
    },
    rows: rows.map(({ targetAttribute, expression, counts }) => ({ targetAttribute, expression, counts })),
    differences,
    unlisted: rows.reduce((sum, row) => sum + Math.max(0, row.disagreements.length - REPORT_DIFFERENCES_PER_ROW), 0),
    valuesNote,
  };
}

/** A table of the section, format-neutral: each renderer escapes and lays it out its own way. */
interface SectionTable {
  title: string;
  header: string[];
  rows: string[][];
}

const WITHHELD = 'left out (see above)';

/** The section's tables: per row the verdict counts, then every difference with both values (or why they are left out). */
export function microsoftCheckTables(section: MicrosoftCheckReport): SectionTable[] {
  if (!section.check) return [];
  const tables: SectionTable[] = [
    {
      title: 'Per mapping row',
      header: ['Target attribute', 'Expression', 'Agree', 'Differ', 'Entra refused', 'Preview refused', 'Both refused'],
      rows: section.rows.map((row) => [
        row.targetAttribute,
        row.expression,
        ...CHECK_VERDICTS.map((verdict) => String(row.counts[verdict])),
      ]),
    },
  ];
  if (section.differences.length > 0) {
    tables.push({
      title:
        section.unlisted > 0
          ? `Where Microsoft differs (the first ${REPORT_DIFFERENCES_PER_ROW} users per row; ${section.unlisted} more are counted above)`
          : 'Where Microsoft differs',
      header: ['Target attribute', 'User', 'Verdict', 'Preview', 'Microsoft Entra'],
      rows: section.differences.map((d) => [
        d.targetAttribute,
        d.user ?? REMOVED,
        VERDICT_LABELS[d.verdict],
        d.ours ?? WITHHELD,
        d.entra ?? WITHHELD,
      ]),
    });
  }
  return tables;
}
