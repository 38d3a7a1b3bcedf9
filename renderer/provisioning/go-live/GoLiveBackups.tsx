import type { SchemaBackupDto } from '../../../shared/api.ts';
import { disabledBecause } from '../../components/disabled-reason.ts';

/** The job's schema backups kept in this workspace, newest first, each one a rollback away. */
export function GoLiveBackups({ backups, busy, onRollBack }: { backups: SchemaBackupDto[]; busy: boolean; onRollBack(backupId: number): void }) {
  return (
    <section className="go-live-backups" aria-label="Backups">
      <h3>Backups of this job</h3>
      {backups.length === 0 ? (
        <p className="muted">No backup yet: every apply and rollback backs the live schema up here first.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Backup</th>
              <th scope="col">Taken</th>
              <th scope="col">Before</th>
              <th scope="col">Tenant</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((backup) => (
              <tr key={backup.id}>
                <td>{backup.id}</td>
                <td>{backup.takenAt}</td>
                <td>{backup.reason}</td>
                <td>{backup.tenant}</td>
                <td>
                  <button type="button" aria-label={`Roll back to backup ${backup.id}…`} onClick={() => onRollBack(backup.id)} {...disabledBecause(busy && 'Busy')}>
                    Roll back to this…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
