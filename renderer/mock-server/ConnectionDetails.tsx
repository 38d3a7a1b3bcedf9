import type { MockServerStatus } from '../../shared/api.ts';
import { useMockServerUi } from '../state/mock-server.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';

/**
 * What to paste into Entra under Provisioning → Admin Credentials: the Tenant URL and the Secret Token
 * (masked until revealed, like a password field).
 */
export function ConnectionDetails({ status }: { status: MockServerStatus }) {
  const revealed = useMockServerUi((s) => s.tokenRevealed);
  const setRevealed = useMockServerUi((s) => s.setTokenRevealed);
  const local = status.host === '127.0.0.1' || status.host === 'localhost' || status.host === '::1';

  return (
    <section className="mock-panel mock-credentials" aria-labelledby="mock-credentials-title">
      <h2 id="mock-credentials-title">Admin Credentials</h2>
      <p className="muted">Paste these into the enterprise application → Provisioning → Admin Credentials, then Test Connection.</p>
      <div className="mock-credential">
        <label htmlFor="mock-tenant-url">Tenant URL</label>
        <input id="mock-tenant-url" readOnly value={status.url ?? ''} placeholder="Start the server to get its Tenant URL" onFocus={(e) => e.target.select()} />
        <CopyButton value={status.url} ariaLabel="Copy Tenant URL" unavailable="Start the server to get its Tenant URL" />
      </div>
      <div className="mock-credential">
        <label htmlFor="mock-secret-token">Secret Token</label>
        <input
          id="mock-secret-token"
          readOnly
          type={revealed ? 'text' : 'password'}
          value={status.token ?? ''}
          placeholder="Generated at the first start"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => setRevealed(!revealed)} {...disabledBecause(status.token === null && 'The token is generated at the first start')} aria-pressed={revealed}>
          {revealed ? 'Hide' : 'Show'}
        </button>
        <CopyButton value={status.token} ariaLabel="Copy Secret Token" unavailable="The token is generated at the first start" />
      </div>
      {status.running && (
        <p className="muted mock-reach">
          {local
            ? 'Reachable from this computer only. Entra needs a public HTTPS address: expose the port through a tunnel (docs/mock-server.md).'
            : `Listening on ${status.host}: other computers on the network can reach it with the token.`}
        </p>
      )}
    </section>
  );
}
