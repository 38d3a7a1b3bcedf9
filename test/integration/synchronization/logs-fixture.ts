/**
 * Entra's provisioning logs for the small tenant (./tenant.ts), as Graph lists them and as the portal downloads them:
 * shared by the CLI's `logs` tests and the app's planned-vs-actual tests, so both compare the same planted entries.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvDocument, csvLine } from '../../../shared/csv.ts';
import { provisioningLogEntry } from '../../support/fake-graph/synchronization-checks.ts';
import { JOB_ID, USERS } from './tenant.ts';

const [alice, bob, chloe] = USERS as [(typeof USERS)[0], (typeof USERS)[0], (typeof USERS)[0]];
/** Entra's log: Alice created as planned, Chloé's displayName planted with an older value, failures, a skip, a stranger. */
export function plantedLogEntries(): Record<string, unknown>[] {
  return [
    provisioningLogEntry({
      jobId: JOB_ID, changeId: 'c-alice', activityDateTime: '2026-11-30T08:01:00Z', sourceId: alice.id, sourceDisplayName: 'Alice Smith', status: 'success',
      modified: { objectId: [null, alice.id], userName: [null, 'alice@contoso.com'], active: [null, 'True'], displayName: [null, 'Alice Smith'], preferredLanguage: [null, 'EN_US'], 'emails[type eq "work"].value': [null, 'alice@contoso.com'] },
    }),
    provisioningLogEntry({
      jobId: JOB_ID, changeId: 'c-chloe', activityDateTime: '2026-11-30T08:02:00Z', sourceId: chloe.id, sourceDisplayName: 'Chloé Dupré', status: 'success', action: 'update',
      modified: { displayName: ['Chloé Martin', 'Chloé Martin'], active: ['True', 'False'] },
    }),
    provisioningLogEntry({
      jobId: JOB_ID, changeId: 'c-bob', activityDateTime: '2026-11-30T08:03:00Z', sourceId: bob.id, sourceDisplayName: 'Bob', status: 'failure',
      error: { errorCode: 'SystemForCrossDomainIdentityManagementEntryConflict', reason: 'The app returned 409: a user with the same userName exists.' },
    }),
    provisioningLogEntry({
      jobId: JOB_ID, changeId: 'c-stranger-fail', activityDateTime: '2026-11-30T08:04:00Z', sourceId: 'd4444444-0000-4000-8000-000000000004', sourceDisplayName: 'Dana', status: 'failure',
      error: { errorCode: 'SystemForCrossDomainIdentityManagementEntryConflict', reason: 'The app returned 409.' },
    }),
    provisioningLogEntry({
      jobId: JOB_ID, changeId: 'c-timeout', activityDateTime: '2026-11-30T08:05:00Z', sourceId: 'e5555555-0000-4000-8000-000000000005', sourceDisplayName: 'Eve', status: 'failure',
      error: { errorCode: 'Timeout', reason: 'The app did not answer in time.' },
    }),
    provisioningLogEntry({ jobId: JOB_ID, changeId: 'c-skip', activityDateTime: '2026-11-30T08:06:00Z', sourceId: 'f6666666-0000-4000-8000-000000000006', sourceDisplayName: 'Frank', status: 'skipped', action: 'other' }),
    provisioningLogEntry({
      jobId: JOB_ID, changeId: 'c-stranger', activityDateTime: '2026-11-30T08:07:00Z', sourceId: 'a7777777-0000-4000-8000-000000000007', sourceDisplayName: 'Gus', status: 'success',
      modified: { displayName: [null, 'Gus'] },
    }),
    // another job's entry: the Graph filter leaves it out
    provisioningLogEntry({ jobId: 'other.job', changeId: 'c-other', activityDateTime: '2026-11-30T08:08:00Z', sourceId: alice.id, sourceDisplayName: 'Alice Smith', status: 'failure', error: { errorCode: 'Timeout', reason: 'x' } }),
  ];
}

/** The portal's CSV download: ProvisioningLogs and ProvisioningLogs_ModifiedProperties, joined by change ID. */
export function csvDownload(list: Record<string, unknown>[]): { logs: string; modifiedProperties: string } {
  type Entry = { changeId: string; activityDateTime: string; jobId: string; provisioningAction: string; sourceIdentity: { id: string; displayName: string; identityType: string }; provisioningStatusInfo: { status: string; errorInformation: { errorCode: string; reason: string } | null }; modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[] };
  const logs = list as unknown as Entry[];
  const main = [csvLine(['Date', 'Job ID', 'Change ID', 'Action', 'Source ID', 'Source Name', 'Source Identity Type', 'Status', 'Error Code', 'Reason'])];
  const props = [csvLine(['Change ID', 'Name', 'Old Value', 'New Value'])];
  for (const e of logs) {
    main.push(csvLine([e.activityDateTime, e.jobId, e.changeId, e.provisioningAction, e.sourceIdentity.id, e.sourceIdentity.displayName, e.sourceIdentity.identityType, e.provisioningStatusInfo.status, e.provisioningStatusInfo.errorInformation?.errorCode ?? '', e.provisioningStatusInfo.errorInformation?.reason ?? '']));
    for (const p of e.modifiedProperties) props.push(csvLine([e.changeId, p.displayName, p.oldValue ?? '', p.newValue ?? '']));
  }
  return { logs: `\uFEFF${csvDocument(main)}`, modifiedProperties: `\uFEFF${csvDocument(props)}` };
}

/** The CSV download written as the portal names its two files; answers the ProvisioningLogs file's path. */
export function writeCsvDownload(dir: string, list: Record<string, unknown>[]): string {
  const download = csvDownload(list);
  const path = join(dir, 'ProvisioningLogs.csv');
  writeFileSync(path, download.logs);
  writeFileSync(join(dir, 'ProvisioningLogs_ModifiedProperties.csv'), download.modifiedProperties);
  return path;
}

