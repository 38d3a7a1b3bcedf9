import type { PreviewUserRow } from '../../shared/api.ts';
import { VirtualGrid } from '../components/VirtualGrid.tsx';
import { actionLabels, formatCount } from './labels.ts';
import { SeverityCount } from '../components/SeverityIcon.tsx';
import { usePreviewUsers, type PreviewUserFilters } from './use-preview-users.ts';

const COLUMNS = ['User', 'Action', 'Findings', 'Requests'];
const CLASS_NAMES = { grid: 'preview-grid', head: 'preview-table-head', body: 'preview-table-body', row: 'preview-row' };

function ActionCell({ row }: { row: PreviewUserRow }) {
  return (
    <span role="gridcell" className="preview-action-cell">
      <span className={`action-badge action-${row.action}`}>{actionLabels[row.action]}</span>
      {row.reason && (
        <span className="action-reason" title={row.reason}>
          {row.reason}
        </span>
      )}
    </span>
  );
}

function FindingsCell({ row }: { row: PreviewUserRow }) {
  if (row.errors === 0 && row.warnings === 0) {
    return (
      <span role="gridcell" className="muted">
        None
      </span>
    );
  }
  return (
    <span role="gridcell" className="findings-cell">
      {row.errors > 0 && <SeverityCount severity="error" count={row.errors} />}
      {row.warnings > 0 && <SeverityCount severity="warning" count={row.warnings} />}
    </span>
  );
}

interface PreviewUserTableProps {
  runId: string;
  filters: PreviewUserFilters;
  selectedUserId: string | null;
  onSelect(userId: string): void;
}

/**
 * The preview run's users, virtualised and paged from the backend: only visible rows exist in the
 * DOM and only their pages cross the API, which keeps 100,000 users smooth. Arrow keys, Page Up/Down,
 * Home and End move the active row; Enter or Space opens it.
 */
export function PreviewUserTable({ runId, filters, selectedUserId, onSelect }: PreviewUserTableProps) {
  const { total, counting, rowAt, error, loaded } = usePreviewUsers(runId, filters);
  return (
    // The count below is a live status, which a grid may not contain (it holds rows only), so it sits beside it.
    <div className="preview-user-table">
      {/* Opening a user fetches their requests and findings, so moving only marks the row; Enter opens it. */}
      <VirtualGrid
        label="Preview users"
        total={total}
        counting={counting}
        rowAt={rowAt}
        keyOf={(row) => row.id}
        idPrefix="preview-row"
        onOpen={(row) => onSelect(row.id)}
        openKey={selectedUserId}
        listKey={JSON.stringify([runId, filters.action, filters.findingCode, filters.search])}
        columns={COLUMNS}
        classNames={CLASS_NAMES}
        rowHeight={44}
        overscan={12}
        renderCells={(row) => (
          <>
            <span role="gridcell" className="preview-user-cell">
              <span className="preview-user-name">{row.displayName ?? row.userPrincipalName ?? row.id}</span>
              <span className="preview-user-upn">{row.userPrincipalName ?? '(no userPrincipalName)'}</span>
            </span>
            <ActionCell row={row} />
            <FindingsCell row={row} />
            <span role="gridcell" className="preview-requests-cell">
              {row.requestCount}
            </span>
          </>
        )}
      />
      <div className="preview-table-foot" role="status">
        {error ? (
          <span className="error-text">{error}</span>
        ) : loaded ? (
          counting ? (
            // a lower bound (the count stopped past the first pages): the exact number replaces it when counted
            `More than ${formatCount(total - 1)} users, counting…`
          ) : (
            `${formatCount(total)} ${total === 1 ? 'user' : 'users'}`
          )
        ) : (
          'Loading users…'
        )}
      </div>
    </div>
  );
}
