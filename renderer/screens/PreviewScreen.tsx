import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ActionCounts } from '../preview/ActionCounts.tsx';
import { CoverageChart } from '../preview/CoverageChart.tsx';
import { DialectPicker } from '../preview/DialectPicker.tsx';
import { FindingList, type FixResult } from '../preview/FindingList.tsx';
import { MicrosoftCheckSection } from '../preview/MicrosoftCheckSection.tsx';
import { formatCount } from '../preview/labels.ts';
import { SeverityCount } from '../components/SeverityIcon.tsx';
import { PreviewProgress } from '../preview/PreviewProgress.tsx';
import { PreviewUserTable } from '../preview/PreviewUserTable.tsx';
import { RevisionDiff } from '../preview/RevisionDiff.tsx';
import { useFixPreview } from '../preview/use-fix-preview.tsx';
import { usePreviewRun } from '../preview/use-preview-run.ts';
import { useRevisionCheck } from '../preview/use-revision-check.ts';
import { UserPreviewDetail } from '../preview/UserPreviewDetail.tsx';
import { VendorPicker } from '../components/VendorPicker.tsx';
import { usePreviewUi } from '../state/preview.ts';
import { useProject } from '../state/project.ts';
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
 * The bulk preview (issue 8): for the project's snapshot and latest mapping revision, what Entra would do
 * with every user and what the project's vendor profile says about it. A change to any of them, or to the
 * dialect, re-runs, wherever it was made.
 */
export function PreviewScreen() {
  const ui = usePreviewUi(
    useShallow((s) => ({
      dialectOverride: s.dialectOverride,
      actionFilter: s.actionFilter,
      findingFilter: s.findingFilter,
      search: s.search,
      selectedUserId: s.selectedUserId,
      setDialectOverride: s.setDialectOverride,
      setActionFilter: s.setActionFilter,
      setFindingFilter: s.setFindingFilter,
      setSearch: s.setSearch,
      selectUser: s.selectUser,
    })),
  );
  const target = useProject(
    useShallow((s) => ({ vendorId: s.vendor?.vendorId ?? null, snapshotId: s.snapshotId, revision: s.latest?.revision ?? null })),
  );
  const run = usePreviewRun(target, ui.dialectOverride);
  // a finding filter names one vendor's code: another vendor's run starts unfiltered
  const previousVendor = useRef(target.vendorId);
  const { setFindingFilter } = ui;
  useEffect(() => {
    if (previousVendor.current !== null && previousVendor.current !== target.vendorId) setFindingFilter(null);
    previousVendor.current = target.vendorId;
  }, [target.vendorId, setFindingFilter]);
  const { summary } = run;
  const microsoftCheck = useRevisionCheck(summary?.revision ?? null);
  const [tab, setTab] = useState<PanelTab>('findings');
  const [lastFix, setLastFix] = useState<FixResult | null>(null);

  const filters = useMemo(
    () => ({ action: ui.actionFilter, findingCode: ui.findingFilter, search: ui.search }),
    [ui.actionFilter, ui.findingFilter, ui.search],
  );

  // "Fix it" opens the fix's preview; only its Apply saves. The saved revision goes through the project store, which
  // every screen follows (Mappings switches its working copy, this screen re-runs on it).
  const fixes = useFixPreview(
    summary?.runId ?? null,
    useCallback((result: FixResult) => {
      setLastFix(result);
      void useProject.getState().revisionSaved(result.revision, result.label);
    }, []),
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
        <VendorPicker />
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
      {summary && <MicrosoftCheckSection revision={summary.revision} snapshotId={summary.snapshotId} check={microsoftCheck} />}

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
                  <UserPreviewDetail runId={summary.runId} userId={ui.selectedUserId} microsoftCheck={microsoftCheck.data?.check ?? null} />
                ) : (
                  <p className="muted">Select a user in the table (click, or arrows and Enter) to see its requests.</p>
                ))}
              {tab === 'coverage' && <CoverageChart rows={summary.coverage} />}
              {tab === 'compare' && <RevisionDiff snapshotId={summary.snapshotId} vendorId={summary.vendorId} latestRevision={summary.revision} />}
            </div>
          </div>
        </div>
      )}
      {fixes.dialog}
    </section>
  );
}
