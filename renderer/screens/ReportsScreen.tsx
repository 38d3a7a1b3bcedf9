import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReportOptionsInput } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { SeverityCount } from '../components/SeverityIcon.tsx';
import { downloadReport } from '../reports/download.ts';
import { ReportOptionsPanel } from '../reports/ReportOptionsPanel.tsx';
import { ReportPreviewFrame } from '../reports/ReportPreviewFrame.tsx';
import { useProject } from '../state/project.ts';
import { parseSampleUsers, useReportsStore } from '../state/reports.ts';
import '../styles/reports.css';

const PREVIEW_DELAY_MS = 300;

/** Reports: a live preview of the mapping report and Save in the chosen format. */
export function ReportsScreen() {
  const choices = useReportsStore(
    useShallow((s) => ({ sections: s.sections, redaction: s.redaction, sampleUsers: s.sampleUsers, format: s.format })),
  );
  // the report is of the project's snapshot, latest revision and vendor (its title names the vendor)
  const project = useProject(useShallow((s) => ({ vendorId: s.vendor?.vendorId ?? null, snapshotId: s.snapshotId, revision: s.latest?.revision ?? null })));
  const [html, setHtml] = useState<string | null>(null);
  const [counts, setCounts] = useState<{ errors: number; warnings: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => onEvent('workspace.changed', () => setReload((n) => n + 1)), []);

  const options = useMemo<ReportOptionsInput>(() => {
    const samples = parseSampleUsers(choices.sampleUsers);
    return {
      redaction: choices.redaction,
      sections: choices.sections,
      ...(project.vendorId !== null ? { vendorId: project.vendorId } : {}),
      ...(project.snapshotId !== null ? { snapshotId: project.snapshotId } : {}),
      ...(project.revision !== null ? { revision: project.revision } : {}),
      ...(samples.length ? { sampleUsers: samples } : {}),
    };
  }, [choices.redaction, choices.sections, choices.sampleUsers, project.vendorId, project.snapshotId, project.revision]);

  const vendorKnown = project.vendorId !== null;
  useEffect(() => {
    // the project's vendor names the report: wait for it rather than build one with another vendor first
    if (!vendorKnown) return;
    let cancelled = false;
    setLoading(true);
    // typing in the sample-user box should not rebuild the report on every key
    const timer = setTimeout(() => {
      api['reports.preview']({ options }).then(
        (result) => {
          if (cancelled) return;
          setHtml(result.html);
          setCounts({ errors: result.errors, warnings: result.warnings });
          setError(null);
          setLoading(false);
        },
        (e: Error) => {
          if (cancelled) return;
          setError(e.message);
          setLoading(false);
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [options, reload, vendorKnown]);

  const save = async () => {
    setSaving(true);
    setNotice(null);
    try {
      const file = await api['reports.save']({ format: choices.format, options });
      downloadReport(file);
      setNotice(file.note ?? `Saved ${file.fileName}`);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="screen reports-screen" aria-labelledby="reports-title">
      <header className="reports-header">
        <h1 id="reports-title">Reports</h1>
        {counts && (
          <p className="reports-counts" aria-live="polite">
            <SeverityCount severity="error" count={counts.errors} /> · <SeverityCount severity="warning" count={counts.warnings} />
          </p>
        )}
      </header>
      {error && <ErrorBanner message={error} />}
      {notice && (
        <pre className="reports-notice" role="status">
          {notice}
        </pre>
      )}
      <div className="reports-layout">
        <ReportOptionsPanel onSave={save} saving={saving} />
        <ReportPreviewFrame html={html} loading={loading} />
      </div>
    </section>
  );
}
