import { useEffect, useState } from 'react';
import type { UserDetail } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { useUiStore } from '../state/store.ts';
import { renderSourceValue, SourceAttributeTable } from './SourceAttributeTable.tsx';

/**
 * One user twice: under Entra's provisioning attribute names (what expressions see) and exactly as
 * Microsoft Graph returned it, so an admin can trace every source value to Graph.
 */
export function UserDetailPanel({ snapshotId }: { snapshotId: number }) {
  const userId = useUiStore((s) => s.selectedUserId);
  const [detail, setDetail] = useState<UserDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    setError(null);
    if (!userId) return;
    let current = true;
    api['tenant.getUser']({ snapshotId, userId }).then(
      (d) => current && setDetail(d),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [snapshotId, userId]);

  if (!userId) return <div className="user-detail empty">Select a user to see its source attributes and raw Graph JSON.</div>;
  if (error) return <div className="user-detail error-text" role="alert">{error}</div>;
  if (!detail) return <div className="user-detail">Loading…</div>;

  return (
    // A region inside the main landmark (an <aside> there is a nested landmark); it scrolls, so it takes focus
    // and the keyboard can scroll it.
    <section className="user-detail" aria-label="User detail" tabIndex={0}>
      <h2>{renderSourceValue(detail.raw.displayName)}</h2>
      <div className="detail-columns">
        <div>
          <h3>Source attributes (Entra provisioning names)</h3>
          <SourceAttributeTable source={detail.source} />
        </div>
        <div>
          <h3>Raw Microsoft Graph JSON</h3>
          <pre className="json" aria-label="Raw Graph JSON">
            {JSON.stringify(detail.raw, null, 2)}
          </pre>
        </div>
      </div>
    </section>
  );
}
