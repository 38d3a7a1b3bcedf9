import { create } from 'zustand';
import { REPORT_SECTIONS, type ReportFormat, type ReportSection } from '../../shared/reports/model.ts';
import type { RedactionMode } from '../../shared/reports/redact.ts';

/** The Reports screen's choices (UI state only; the report itself is built by the backend). The vendor is the project's. */
interface ReportsUiState {
  sections: ReportSection[];
  redaction: RedactionMode;
  format: ReportFormat;
  /** UPNs or object ids, as typed */
  sampleUsers: string;
  toggleSection(section: ReportSection): void;
  setRedaction(redaction: RedactionMode): void;
  setFormat(format: ReportFormat): void;
  setSampleUsers(text: string): void;
}

export const useReportsStore = create<ReportsUiState>((set) => ({
  sections: [...REPORT_SECTIONS],
  // pseudonymise is the default for anything that leaves the machine (issue 10)
  redaction: 'pseudonymise',
  format: 'html',
  sampleUsers: '',
  toggleSection: (section) =>
    set((state) => {
      const chosen = state.sections.includes(section) ? state.sections.filter((s) => s !== section) : [...state.sections, section];
      return { sections: REPORT_SECTIONS.filter((s) => chosen.includes(s)) };
    }),
  setRedaction: (redaction) => set({ redaction }),
  setFormat: (format) => set({ format }),
  setSampleUsers: (sampleUsers) => set({ sampleUsers }),
}));

/** "a@x.com, b@x.com" → ["a@x.com", "b@x.com"] */
export function parseSampleUsers(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 20);
}
