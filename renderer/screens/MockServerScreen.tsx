import { useEffect, useState } from 'react';
import type { MockServerStatus } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ConnectionDetails } from '../mock-server/ConnectionDetails.tsx';
import { RequestLogPanel } from '../mock-server/RequestLogPanel.tsx';
import { ResourceBrowser } from '../mock-server/ResourceBrowser.tsx';
import { ServerControls } from '../mock-server/ServerControls.tsx';
import { useMockServerUi, type MockServerTab } from '../state/mock-server.ts';
import '../styles/mock-server.css';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long after the last write the users and groups are re-read (a provisioning cycle writes in bursts). */
const REFRESH_DELAY_MS = 400;

/**
 * The Mock server screen: run a local SCIM service that answers like the chosen vendor, paste its Tenant
 * URL and Secret Token into Entra, watch every request arrive, and browse what the vendor now holds.
 */
export function MockServerScreen() {
  const [status, setStatus] = useState<MockServerStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const tab = useMockServerUi((s) => s.tab);
  const setTab = useMockServerUi((s) => s.setTab);

  useEffect(() => {
    api['mockServer.status']({}).then(setStatus, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onEvent('mockServer.request', (entry) => {
      if (!WRITE_METHODS.has(entry.method) || entry.status >= 300) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        setDataVersion((v) => v + 1);
        api['mockServer.status']({}).then(setStatus, () => undefined);
      }, REFRESH_DELAY_MS);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);

  const onStatus = (next: MockServerStatus) => {
    setStatus(next);
    setDataVersion((v) => v + 1);
  };

  const tabs: { id: MockServerTab; label: string }[] = [
    { id: 'log', label: 'Request log' },
    { id: 'users', label: `Users${status ? ` (${status.users})` : ''}` },
    { id: 'groups', label: `Groups${status ? ` (${status.groups})` : ''}` },
  ];

  return (
    <section className="mock-screen" aria-labelledby="mock-title">
      <div className="screen-toolbar">
        <h1 id="mock-title">Mock server</h1>
        {status && (
          <span className={status.running ? 'mock-state running' : 'mock-state'} role="status">
            {status.running ? `Running · ${status.vendorName} · ${status.mode === 'strict' ? 'strict RFC' : 'Entra-compatible'}` : 'Stopped'}
          </span>
        )}
      </div>
      {error && <ErrorBanner message={error} />}
      {status && (
        <>
          <div className="mock-top">
            <ServerControls status={status} onStatus={onStatus} onError={setError} />
            <ConnectionDetails status={status} />
          </div>
          <div className="mock-tabs" role="tablist" aria-label="Mock server views">
            {tabs.map((t) => (
              <button key={t.id} type="button" role="tab" id={`mock-tab-${t.id}`} aria-selected={tab === t.id} aria-controls="mock-tabpanel" className={tab === t.id ? 'mock-tab active' : 'mock-tab'} onClick={() => setTab(t.id)}>
                {t.label}
              </button>
            ))}
          </div>
          <div id="mock-tabpanel" role="tabpanel" aria-labelledby={`mock-tab-${tab}`} className="mock-tabpanel">
            {tab === 'log' ? <RequestLogPanel /> : <ResourceBrowser key={tab} kind={tab} refreshKey={dataVersion} />}
          </div>
        </>
      )}
    </section>
  );
}
