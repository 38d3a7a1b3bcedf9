import { useShallow } from 'zustand/react/shallow';
import { REPORT_FORMATS, REPORT_SECTIONS, SECTION_TITLES, type ReportFormat } from '../../shared/reports/model.ts';
import { REDACTION_MODES, type RedactionMode } from '../../shared/reports/redact.ts';
import { VendorPicker } from '../components/VendorPicker.tsx';
import { useReportsStore } from '../state/reports.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

const FORMAT_LABELS: Record<ReportFormat, string> = {
  html: 'HTML (self-contained)',
  pdf: 'PDF',
  md: 'Markdown (for a ticket)',
  csv: 'CSV (mappings and findings)',
  json: 'JSON',
  'entra-schema': 'Entra schema JSON (for Graph)',
};

const REDACTION_LABELS: Record<RedactionMode, { label: string; hint: string }> = {
  pseudonymise: { label: 'Pseudonymise', hint: 'consistent fake names, e-mails, ids and phones' },
  remove: { label: 'Remove', hint: 'no user values, no sample payloads' },
  off: { label: 'Off', hint: 'real user data: keep the report on this machine' },
};

/** What goes into the report: vendor, sections, sample users, redaction and the format to save. */
export function ReportOptionsPanel({ onSave, saving }: { onSave(): void; saving: boolean }) {
  const state = useReportsStore(
    useShallow((s) => ({
      sections: s.sections,
      redaction: s.redaction,
      format: s.format,
      sampleUsers: s.sampleUsers,
      toggleSection: s.toggleSection,
      setRedaction: s.setRedaction,
      setFormat: s.setFormat,
      setSampleUsers: s.setSampleUsers,
    })),
  );
  return (
    <form className="report-options" aria-label="Report options" onSubmit={(event) => event.preventDefault()}>
      <div className="report-field">
        <VendorPicker showSummary={false} />
      </div>
      <fieldset className="report-field">
        <legend>Sections</legend>
        {REPORT_SECTIONS.map((section) => (
          <label key={section} className="report-check">
            <input type="checkbox" checked={state.sections.includes(section)} onChange={() => state.toggleSection(section)} />
            {SECTION_TITLES[section]}
          </label>
        ))}
      </fieldset>
      <label className="report-field">
        <span>Sample users (UPNs or object ids; empty = the first few creates)</span>
        <input type="text" aria-label="Sample users" value={state.sampleUsers} placeholder="someone@contoso.com, …" onChange={(e) => state.setSampleUsers(e.target.value)} />
      </label>
      <fieldset className="report-field">
        <legend>Redaction</legend>
        {REDACTION_MODES.map((mode) => (
          <label key={mode} className="report-check">
            <input type="radio" name="redaction" value={mode} checked={state.redaction === mode} onChange={() => state.setRedaction(mode)} />
            {REDACTION_LABELS[mode].label} <small>— {REDACTION_LABELS[mode].hint}</small>
          </label>
        ))}
      </fieldset>
      <label className="report-field">
        <span>Format</span>
        <select aria-label="Format" value={state.format} onChange={(e) => state.setFormat(e.target.value as ReportFormat)}>
          {REPORT_FORMATS.map((format) => (
            <option key={format} value={format}>
              {FORMAT_LABELS[format]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="primary" onClick={onSave} {...disabledBecause(saving ? 'Saving the report…' : state.sections.length === 0 && 'Choose at least one section')}>
        {saving ? 'Saving…' : 'Save report'}
      </button>
    </form>
  );
}
