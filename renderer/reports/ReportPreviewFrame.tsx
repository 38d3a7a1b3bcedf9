/**
 * The live report: the backend's HTML in an iframe with an empty `sandbox` (no script, no same-origin
 * access, no navigation) and the HTML given inline through srcdoc, so the preview can never reach the app.
 */
export function ReportPreviewFrame({ html, loading }: { html: string | null; loading: boolean }) {
  return (
    <div className="report-preview" aria-busy={loading}>
      {html === null ? (
        <p className="report-empty">{loading ? 'Building the report…' : 'No report yet.'}</p>
      ) : (
        <iframe title="Report preview" sandbox="" srcDoc={html} className="report-frame" />
      )}
    </div>
  );
}
