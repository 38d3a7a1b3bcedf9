import type { Screen } from '../state/store.ts';
import { screenTitles } from '../components/NavigationBar.tsx';

/**
 * Screens whose engines are still being built say what they will do, and show no data of their
 * own: an admin must never mistake an illustration for a result.
 */
const plans: Partial<Record<Screen, string[]>> = {
  mappings: [
    'Edit the attribute mappings as in the Entra portal: Target attribute, Mapping type, Source attribute / Expression, Default value if null, Match objects using this attribute, Matching precedence, Apply this mapping.',
    'Write expressions in an editor with completion, hover docs, diagnostics and the live result for the selected user.',
    'Start from Entra’s default mappings or the vendor’s recommended set; every save is a revision you can compare.',
  ],
  preview: [
    'For every user of the snapshot: the exact SCIM requests Entra would send (match query, POST, PATCH, deactivation) in both PATCH dialects.',
    'Findings from the chosen vendor profile (HiThrive, Haiilo, Thrive, Forms On Fire, Hector or generic SCIM), with fixes.',
  ],
  'mock-server': [
    'Run a local SCIM 2.0 server that behaves like the vendor, with a Tenant URL and Secret Token to paste into Entra.',
    'Watch every request live and browse the users and groups as the vendor holds them.',
  ],
  provisioning: [
    'Play Entra’s provisioning cycle (initial, incremental, on demand) against the mock server or a vendor’s test endpoint.',
    'Read the audit log as Entra’s provisioning logs would show it.',
  ],
  reports: [
    'Export the mapping, findings and sample payloads as HTML, PDF, Markdown, CSV, JSON or Entra schema JSON, with PII redaction for vendor tickets.',
  ],
};

export function PlannedScreen({ screen }: { screen: Screen }) {
  return (
    <section className="planned-screen" aria-labelledby="planned-title">
      <h1 id="planned-title">{screenTitles[screen]}</h1>
      <p className="planned-note">Not available in this build yet. This screen will let you:</p>
      <ul>
        {(plans[screen] ?? []).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
