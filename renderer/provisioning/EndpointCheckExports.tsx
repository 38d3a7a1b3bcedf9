import { useState } from 'react';
import type { EndpointCheckExport } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';
import { downloadReport } from '../reports/download.ts';

const LABELS: Record<EndpointCheckExport, string> = {
  postman: 'Export Postman collection',
  'report-section': 'Export report section',
};

/**
 * The project's last endpoint check as files for the vendor: the Postman collection they can replay and the report
 * section with the evidence of each failure, the same files the CLI's --postman and --report write.
 */
export function EndpointCheckExports({ unavailable, onError }: { unavailable: string | null; onError(message: string): void }) {
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (format: EndpointCheckExport) => {
    setSaved(null);
    try {
      const file = await api['endpointCheck.export']({ format });
      downloadReport(file);
      setSaved(`Saved ${file.fileName}`);
    } catch (e) {
      onError((e as Error).message);
    }
  };
  return (
    <div className="prov-row vep-exports" aria-label="Export the last run">
      {(Object.keys(LABELS) as EndpointCheckExport[]).map((format) => (
        <button key={format} type="button" onClick={() => void save(format)} {...disabledBecause(unavailable)}>
          {LABELS[format]}
        </button>
      ))}
      {saved && (
        <span role="status" className="muted">
          {saved}
        </span>
      )}
    </div>
  );
}
