import { useMemo, useState } from 'react';
import type { FindingGroup } from '../../shared/api.ts';
import { formatCount, severityLabels, type SeverityName } from './labels.ts';
import { SeverityIcon } from '../components/SeverityIcon.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';

const severityRank: Record<SeverityName, number> = { error: 0, warning: 1, info: 2 };

interface CodeGroup {
  code: string;
  severity: SeverityName;
  count: number;
  entries: FindingGroup[];
}

/** The backend groups by code and attribute; the list shows one block per code, worst first. */
export function groupByCode(groups: readonly FindingGroup[]): CodeGroup[] {
  const byCode = new Map<string, CodeGroup>();
  for (const group of groups) {
    const block = byCode.get(group.code) ?? { code: group.code, severity: group.severity, count: 0, entries: [] };
    block.entries.push(group);
    block.count += group.count;
    if (severityRank[group.severity] < severityRank[block.severity]) block.severity = group.severity;
    byCode.set(group.code, block);
  }
  return [...byCode.values()].sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || b.count - a.count || a.code.localeCompare(b.code));
}

export function SeverityTag({ severity }: { severity: SeverityName }) {
  return (
    <span className={`severity-tag severity-${severity}`}>
      <SeverityIcon severity={severity} /> {severityLabels[severity]}
    </span>
  );
}

export interface FixResult {
  revision: number;
  label: string;
}

interface FindingListProps {
  groups: readonly FindingGroup[];
  /** the finding code the user table is filtered by */
  activeFilter: string | null;
  onFilter(code: string | null): void;
  /** "Fix it": settles with the saved revision, or null when the admin left without saving */
  onFix(group: FindingGroup): Promise<FixResult | null>;
  /** the last fix applied, shown until the next one */
  lastFix: FixResult | null;
  /** fixes whose preview found they would add errors, by fixKey: the reason replaces "Fix it" */
  notOffered?: ReadonlyMap<string, string>;
}

/** Identifies a finding group's fix: its code and attribute. */
export const fixKey = (g: Pick<FindingGroup, 'code' | 'attribute'>) => `${g.code}\u0000${g.attribute ?? ''}`;

/**
 * Findings grouped by code with counts. A user-level code can filter the user table; a group with a
 * mechanical fix offers "Fix it", which previews the fix and saves a new mapping revision only when applied.
 */
export function FindingList({ groups, activeFilter, onFilter, onFix, lastFix, notOffered }: FindingListProps) {
  const blocks = useMemo(() => groupByCode(groups), [groups]);
  const [fixing, setFixing] = useState<string | null>(null);
  const [fixError, setFixError] = useState<string | null>(null);

  const fix = async (group: FindingGroup) => {
    setFixing(fixKey(group));
    setFixError(null);
    try {
      await onFix(group);
    } catch (e) {
      setFixError(`${group.code}${group.attribute ? ` on ${group.attribute}` : ''} could not be fixed: ${(e as Error).message}`);
    } finally {
      setFixing(null);
    }
  };

  return (
    <section className="finding-list" aria-label="Findings">
      <div role="status" className="finding-status">
        {lastFix && (
          <p className="fix-saved">
            ✔ Saved as mapping revision <strong>{lastFix.revision}</strong>: {lastFix.label}
          </p>
        )}
        {fixError && <p className="error-text">{fixError}</p>}
      </div>
      {blocks.length === 0 && <p className="muted">No findings: the vendor profile raises nothing for these mappings and users.</p>}
      {blocks.map((block) => {
        const userLevel = block.entries.some((e) => e.exampleUserIds.length > 0);
        const filtering = activeFilter === block.code;
        return (
          <article key={block.code} className={`finding-code severity-${block.severity}`} aria-label={`${block.code}, ${block.count}`}>
            <header className="finding-code-head">
              <SeverityTag severity={block.severity} />
              <h2 className="finding-code-name">{block.code}</h2>
              <span className="finding-count" title="Users affected, or 1 for a mapping-level finding">
                {formatCount(block.count)}
              </span>
              {userLevel && (
                <button type="button" className="link-button" aria-pressed={filtering} onClick={() => onFilter(filtering ? null : block.code)}>
                  {filtering ? 'Show all users' : 'Show affected users'}
                </button>
              )}
            </header>
            <ul className="finding-entries">
              {block.entries.map((entry) => {
                const key = fixKey(entry);
                return (
                  <li key={key} className="finding-entry">
                    {entry.severity !== block.severity && <SeverityTag severity={entry.severity} />}
                    {entry.attribute && <code className="finding-attribute">{entry.attribute}</code>}
                    <p className="finding-message">{entry.message}</p>
                    {entry.fix && <p className="finding-fix">How to fix: {entry.fix}</p>}
                    {entry.fixable && notOffered?.has(key) && <p className="finding-fix-refused">{notOffered.get(key)}</p>}
                    {entry.fixable && !notOffered?.has(key) && (
                      <button
                        type="button"
                        className="primary"
                        aria-label={`Fix it: ${entry.code}${entry.attribute ? ` on ${entry.attribute}` : ''}`}
                        {...disabledBecause(fixing !== null && (fixing === key ? 'This fix’s preview is open: apply or cancel it there' : 'Another fix’s preview is open: apply or cancel it first'))}
                        onClick={() => fix(entry)}
                      >
                        {fixing === key ? 'Fixing…' : 'Fix it'}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          </article>
        );
      })}
    </section>
  );
}
