import { RE2JS } from 're2js';
import type { SourceObject, SourceValue } from '../directory/source-object.ts';
import type { FilterClause, ScopeFilter } from './schema.ts';

/**
 * Attribute scoping filters (Microsoft Learn "Scoping users or groups to be provisioned with scoping filters"): clauses
 * in one group are ANDed, groups are ORed, a null or empty value makes a clause false (except IS NULL), and
 * multi-valued attributes cannot be used. Operator names are matched ignoring case, spaces and underscores so the
 * portal's spelling ("IS NOT NULL", "Greater_Than") and Graph's ("IsNotNull", "GreaterThan") both work.
 */
export const SCOPE_OPERATORS = [
  'EQUALS', 'NOT EQUALS', 'IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL', 'REGEX MATCH', 'NOT REGEX MATCH',
  'Greater_Than', 'Greater_Than_OR_EQUALS', 'Includes', 'ENDS_WITH', '&', '!&',
] as const;

type ClauseTest = (value: SourceValue | undefined) => boolean;

export interface CompiledScope {
  /** true when the object is in scope; a mapping without scoping filters keeps everyone in scope */
  readonly inScope: (source: SourceObject) => boolean;
  /** names the clause a user failed, for the preview's "skip (reason)" */
  readonly explain: (source: SourceObject) => string | null;
  readonly problems: readonly string[];
}

function normaliseOperator(name: string): string {
  return name.replace(/[\s_]/g, '').toUpperCase();
}

function isEmpty(value: SourceValue | undefined): boolean {
  return value === undefined || value === null || value === '';
}

function asText(value: SourceValue | undefined): string | null {
  if (isEmpty(value) || Array.isArray(value)) return null;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

function asInteger(text: string | null | undefined): bigint | null {
  if (text == null || !/^\s*-?\d+\s*$/.test(text)) return null;
  return BigInt(text.trim());
}

function asBoolean(value: SourceValue | undefined): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return null;
}

function compileClause(clause: FilterClause, problems: string[]): ClauseTest {
  const operands = clause.targetOperand?.values ?? [];
  const first = operands[0] ?? '';
  const operator = normaliseOperator(clause.operatorName);
  const textTest = (test: (text: string) => boolean): ClauseTest => (value) => {
    const text = asText(value);
    return text !== null && test(text);
  };
  switch (operator) {
    case 'EQUALS':
      // case-sensitive (Microsoft Learn "Scoping users or groups to be provisioned with scoping filters")
      return textTest((text) => text === first);
    case 'NOTEQUALS':
      return textTest((text) => text !== first);
    case 'ISTRUE':
      return (value) => asBoolean(value) === true;
    case 'ISFALSE':
      return (value) => asBoolean(value) === false;
    case 'ISNULL':
      return (value) => isEmpty(value);
    case 'ISNOTNULL':
      return (value) => !isEmpty(value);
    case 'REGEXMATCH':
    case 'NOTREGEXMATCH': {
      let regex: RE2JS;
      try {
        // RE2 semantics: linear time, so a hostile pattern cannot stall a 100,000-user preview.
        regex = RE2JS.compile(first);
      } catch (error) {
        problems.push(`Scoping clause on ${clause.sourceOperandName}: invalid regular expression "${first}" (${(error as Error).message})`);
        return () => false;
      }
      const wanted = operator === 'REGEXMATCH';
      return textTest((text) => regex.matcher(text).find() === wanted);
    }
    case 'GREATERTHAN':
    case 'GREATERTHANOREQUALS': {
      const bound = asInteger(first);
      if (bound === null) {
        problems.push(`Scoping clause on ${clause.sourceOperandName}: ${clause.operatorName} compares integers only, got "${first}"`);
        return () => false;
      }
      const orEqual = operator === 'GREATERTHANOREQUALS';
      return textTest((text) => {
        const number = asInteger(text);
        return number !== null && (orEqual ? number >= bound : number > bound);
      });
    }
    case 'INCLUDES': {
      const allowed = new Set(operands.flatMap((operand) => operand.split(',').map((part) => part.trim())));
      return textTest((text) => allowed.has(text));
    }
    case 'ENDSWITH':
      return textTest((text) => text.endsWith(first));
    case '&':
    case '!&': {
      const mask = asInteger(first);
      if (mask === null) {
        problems.push(`Scoping clause on ${clause.sourceOperandName}: ${clause.operatorName} needs an integer mask, got "${first}"`);
        return () => false;
      }
      const wantSet = operator === '&';
      return textTest((text) => {
        const number = asInteger(text);
        return number !== null && ((number & mask) !== 0n) === wantSet;
      });
    }
    default:
      problems.push(`Scoping clause on ${clause.sourceOperandName}: unknown operator "${clause.operatorName}"`);
      return () => false;
  }
}

/** A clause as the portal's scoping filter editor reads it: attribute, operator, value(s). */
function clauseText(clause: FilterClause): string {
  return `${clause.sourceOperandName} ${clause.operatorName}${clause.targetOperand?.values?.length ? ` "${clause.targetOperand.values.join('", "')}"` : ''}`;
}

/** A whole scoping filter in one line: its groups (any may match), each with its clauses (all must match). */
export function scopeFilterText(filter: ScopeFilter | null | undefined): string {
  const groups = filter?.groups ?? [];
  if (groups.length === 0) return 'none (every assigned object is in scope)';
  return groups.map((group, index) => `${group.name ?? `Scoping filter ${index + 1}`}: ${(group.clauses ?? []).map(clauseText).join(' AND ') || 'no clauses'}`).join(' OR ');
}

export function compileScope(filter: ScopeFilter | null | undefined): CompiledScope {
  const problems: string[] = [];
  const groups = (filter?.groups ?? []).map((group, index) => ({
    name: group.name ?? `Scoping filter ${index + 1}`,
    clauses: (group.clauses ?? []).map((clause) => {
      const test = compileClause(clause, problems);
      const attribute = clause.sourceOperandName;
      const description = clauseText(clause);
      const run = (source: SourceObject): boolean => {
        const value = source[attribute];
        // Multi-valued attributes cannot be used in scoping filters (Microsoft Learn "Known issues for provisioning in
        // Microsoft Entra ID", "Scoping filters").
        if (Array.isArray(value)) return false;
        return test(value);
      };
      return { run, description };
    }),
  }));
  if (groups.length === 0) return { inScope: () => true, explain: () => null, problems };
  const inScope = (source: SourceObject) => groups.some((group) => group.clauses.every((clause) => clause.run(source)));
  const explain = (source: SourceObject): string | null => {
    if (inScope(source)) return null;
    const failed = groups.map((group) => {
      const clause = group.clauses.find((c) => !c.run(source));
      return `${group.name}: ${clause ? clause.description : 'no clauses'}`;
    });
    return `outside the scoping filter (${failed.join('; ')})`;
  };
  return { inScope, explain, problems };
}
