import { type KeyboardEvent, useCallback, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ActionCounts } from '../preview/ActionCounts.tsx';
import { CoverageChart } from '../preview/CoverageChart.tsx';
import { DialectPicker } from '../preview/DialectPicker.tsx';
import { FindingList, type FixResult } from '../preview/FindingList.tsx';
import { formatCount } from '../preview/labels.ts';
import { SeverityCount } from '../components/SeverityIcon.tsx';
import { PreviewProgress } from '../preview/PreviewProgress.tsx';
import { PreviewUserTable } from '../preview/PreviewUserTable.tsx';
import { RevisionDiff } from '../preview/RevisionDiff.tsx';
import { useFixPreview } from '../preview/use-fix-preview.tsx';
import { usePreviewRun } from '../preview/use-preview-run.ts';
import { UserPreviewDetail } from '../preview/UserPreviewDetail.tsx';
import { VendorPicker } from '../preview/VendorPicker.tsx';
import { usePreviewUi } from '../state/preview.ts';
import '../styles/preview.css';

type PanelTab = 'findings' | 'user' | 'coverage' | 'compare';

const tabLabels: Record<PanelTab, string> = {
  findings: 'Findings',
  user: 'User',
  coverage: 'Attribute coverage',
  compare: 'Compare revisions',
};
const tabOrder: PanelTab[] = ['findings', 'user', 'coverage', 'compare'];

/**
 * The bulk preview (issue 8): for the latest snapshot and mapping revision, what Entra would do with
 * every user and what the vendor profile says about it. Changing the vendor or dialect re-runs.
 */
export function PreviewScreen() {
  const ui = usePreviewUi(
    useShallow((s) => ({
      vendorId: s.vendorId,
      dialectOverride: s.dialectOverride,
      actionFilter: s.actionFilter,
      findingFilter: s.findingFilter,
      search: s.search,
      selectedUserId: s.selectedUserId,
      setVendor: s.setVendor,
      setDialectOverride: s.setDialectOverride,
      setActionFilter: s.setActionFilter,
      setFindingFilter: s.setFindingFilter,
      setSearch: s.setSearch,
      selectUser: s.selectUser,
    })),
  );
  const run = usePreviewRun(ui.vendorId, ui.dialectOverride);
  const { summary } = run;
  const [tab, setTab] = useState<PanelTab>('findings');
  const [lastFix, setLastFix] = useState<FixResult | null>(null);

  const filters = useMemo(
    () => ({ action: ui.actionFilter, findingCode: ui.findingFilter, search: ui.search }),
    [ui.actionFilter, ui.findingFilter, ui.search],
  );

  const { rerun } = run;
  // "Fix it" opens the fix's preview; only its Apply saves. The backend announces the saved revision to every
  // screen (workspace.changed); the preview follows the latest revision, so it re-runs.
  const fixes = useFixPreview(
    summary?.runId ?? null,
    useCallback(
      (result: FixResult) => {
        setLastFix(result);
        rerun();
      },
      [rerun],
    ),
  );

  const selectUser = (userId: string) => {
    ui.selectUser(userId);
    setTab('user');
  };

  const onTabKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabOrder[(tabOrder.indexOf(tab) + step + tabOrder.length) % tabOrder.length]!;
    setTab(next);
    document.getElementById(`preview-tab-${next}`)?.focus();
  };

  const findingTotal = summary?.findingGroups.length ?? 0;
  return (
    <section className="preview-screen" aria-labelledby="preview-title">
      <div className="screen-toolbar">
        <h1 id="preview-title">Preview</h1>
        <VendorPicker value={ui.vendorId} onChange={ui.setVendor} />
        <DialectPicker
          override={ui.dialectOverride}
          inForce={summary ? { dialect: summary.dialect, source: summary.dialectSource } : null}
          onChange={ui.setDialectOverride}
        />
      </div>

      <div className="preview-run-facts">
        {summary && (
          <span className="run-facts" aria-label="Preview run">
            {summary.revision === null ? 'Entra’s default mappings (no revision saved)' : `Mapping revision ${summary.revision}`} · snapshot{' '}
            {summary.snapshotId} · {formatCount(summary.users)} users ·{' '}
            <SeverityCount severity="error" count={summary.errors} /> · <SeverityCount severity="warning" count={summary.warnings} />{' '}
            · {Math.round(summary.durationMs)} ms
          </span>
        )}
        {run.running && <PreviewProgress progress={run.progress} onCancel={run.cancel} />}
        {run.notice && <span className="muted">{run.notice}</span>}
      </div>
      {run.error && <ErrorBanner message={run.error} />}

      {summary && (
        <div className="preview-split">
          <div className="preview-users">
            <div className="preview-filters">
              <ActionCounts users={summary.users} byAction={summary.byAction} active={ui.actionFilter} onChange={ui.setActionFilter} />
              <input
                type="search"
                className="search"
                placeholder="Search users by name or UPN"
                aria-label="Search preview users"
                value={ui.search}
                onChange={(e) => ui.setSearch(e.target.value)}
              />
              {ui.findingFilter && (
                <span className="finding-filter-chip">
                  Only users with <code>{ui.findingFilter}</code>
                  <button type="button" className="link-button" onClick={() => ui.setFindingFilter(null)}>
                    Clear
                  </button>
                </span>
              )}
            </div>
            <PreviewUserTable runId={summary.runId} filters={filters} selectedUserId={ui.selectedUserId} onSelect={selectUser} />
          </div>

          <div className="preview-panel">
            <div role="tablist" aria-label="Preview details" className="preview-tabs" onKeyDown={onTabKey}>
              {tabOrder.map((name) => (
                <button
                  key={name}
                  id={`preview-tab-${name}`}
                  type="button"
                  role="tab"
                  aria-selected={tab === name}
                  aria-controls={`preview-tabpanel-${name}`}
                  tabIndex={tab === name ? 0 : -1}
                  className="preview-tab"
                  onClick={() => setTab(name)}
                >
                  {tabLabels[name]}
                  {name === 'findings' && findingTotal > 0 ? ` (${findingTotal})` : ''}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`preview-tabpanel-${tab}`} aria-labelledby={`preview-tab-${tab}`} className="preview-tabpanel" tabIndex={0}>
              {tab === 'findings' && (
                <FindingList
                  groups={summary.findingGroups}
                  activeFilter={ui.findingFilter}
                  onFilter={ui.setFindingFilter}
                  onFix={fixes.open}
                  lastFix={lastFix}
                  notOffered={fixes.notOffered}
                />
              )}
              {tab === 'user' &&
                (ui.selectedUserId ? (
                  <UserPreviewDetail runId={summary.runId} userId={ui.selectedUserId} />
                ) : (
                  <p className="muted">Select a user in the table (click, or arrows and Enter) to see its requests.</p>
                ))}
              {tab === 'coverage' && <CoverageChart rows={summary.coverage} />}
              {tab === 'compare' && <RevisionDiff snapshotId={summary.snapshotId} vendorId={ui.vendorId} latestRevision={summary.revision} />}
            </div>
          </div>
        </div>
      )}
      {fixes.dialog}
    </section>
  );
}
