import { writeFile } from 'node:fs/promises';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import {
  FILE_EXTENSIONS,
  MEDIA_TYPES,
  renderHtml,
  renderTextReport,
  type Report,
  type ReportFormat,
} from '../../../shared/reports/index.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { BuildReportInput, SnapshotUsers } from './build.ts';
import { projectVendorProfile, vendorProfileOf } from '../services/vendors.ts';
import type { ProjectRecord, WorkspaceStore } from '../workspace/store.ts';
import { ProvisioningStore } from '../provisioning/store.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import { readProvisioningLog } from '../../../shared/reports/provisioning.ts';
import { PROVISIONING_FAILURE_SAMPLE, type ProvisioningReport } from '../../../shared/reports/model.ts';
import { EndpointCheckStore } from '../endpoint-check/store.ts';
import { reportCheckInput } from '../synchronization/revision-check.ts';
import { printPdf } from './pdf.ts';

/** A report ready to write or download: text formats as text, PDF as bytes. */
interface ReportFile {
  format: ReportFormat;
  fileName: string;
  mediaType: string;
  content: string | Uint8Array;
}

export class ReportSourceError extends Error {}

/** "contoso-demo-hithrive-report.html": safe on every file system. */
export function reportFileName(projectName: string, vendorId: string, format: ReportFormat): string {
  const slug = `${projectName}-${vendorId}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'scim'}-${format === 'entra-schema' ? 'mappings' : 'report'}.${FILE_EXTENSIONS[format]}`;
}

/** Renders any format; the PDF is the HTML printed (Electron's printer when registered, else Chromium). */
export async function renderReportFile(format: ReportFormat, report: Report, set: MappingSet): Promise<ReportFile> {
  const content = format === 'pdf' ? await printPdf(renderHtml(report)) : renderTextReport(format, report, set);
  return { format, fileName: reportFileName(report.meta.projectName, report.meta.vendor.id, format), mediaType: MEDIA_TYPES[format], content };
}

export async function writeReportFile(path: string, file: ReportFile): Promise<void> {
  await writeFile(path, file.content);
}

interface WorkspaceReportSelection {
  snapshotId?: number;
  /** a saved mapping revision; default the latest, or Entra's defaults when none is saved */
  revision?: number;
  /** a vendor profile id; default the project's */
  vendorId?: string;
}

/**
 * Everything a report needs from the workspace: the project's snapshot (its users, read by the preview's workers and
 * looked up by the report while `store` is open; its groups), its mapping revision, its vendor profile, and its last
 * provisioning run and endpoint check.
 *
 * The groups come as `loadGroups`, read when the report is built: a million-member group is about 110 MB of source
 * objects, which a Save that takes the report already shown (report-cache.ts), or a CLI run given `--groups FILE`,
 * never needs.
 */
export function workspaceReportInput(
  store: WorkspaceStore,
  project: ProjectRecord,
  selection: WorkspaceReportSelection = {},
): Omit<BuildReportInput, 'options' | 'users' | 'groups'> & { users: SnapshotUsers; loadGroups: () => SourceObject[] } {
  const snapshot = selection.snapshotId !== undefined ? store.getSnapshot(selection.snapshotId) : store.listSnapshots(project.id)[0];
  if (!snapshot || snapshot.projectId !== project.id) {
    throw new ReportSourceError(
      selection.snapshotId !== undefined
        ? `Snapshot ${selection.snapshotId} does not exist in project "${project.name}".`
        : `Project "${project.name}" has no directory snapshot yet: load the demo tenant, fetch from Graph or import a file first.`,
    );
  }
  const users = snapshotUsersOf(store, snapshot.id, snapshot.userCount);
  const loadGroups = () => store.listGroupSources(snapshot.id) as SourceObject[];

  const { set, label: mappingLabel, revision } = projectMappingSet(store, project.id, selection.revision);
  let profile;
  try {
    profile = selection.vendorId === undefined ? projectVendorProfile(store, project) : vendorProfileOf(store, project.id, selection.vendorId);
  } catch (error) {
    throw new ReportSourceError((error as Error).message);
  }
  const provisioning = lastProvisioningRun(store, project.id);
  const endpointCheck = new EndpointCheckStore(store.db).last(project.id);
  return {
    projectName: project.name,
    tenantName: snapshot.tenantName,
    mappingLabel,
    set,
    users,
    loadGroups,
    profile,
    ...(provisioning ? { provisioning } : {}),
    ...(endpointCheck ? { endpointCheck } : {}),
    microsoftCheck: reportCheckInput(store, project.id, revision),
  };
}

/** A workspace snapshot's users as a report reads them: by the preview's workers, and one by one by id or UPN. */
export function snapshotUsersOf(store: WorkspaceStore, snapshotId: number, userCount: number): SnapshotUsers {
  return { workspacePath: store.path, snapshotId, userCount, find: (ref) => store.getUser(snapshotId, ref)?.source as SourceObject | undefined };
}

/**
 * The project's last provisioning cycle that actually sent requests (dry runs send nothing), in the same
 * shape `scim-planner provision --log` writes, so the app's report and the CLI's read one format.
 */
function lastProvisioningRun(store: WorkspaceStore, projectId: number): ProvisioningReport | null {
  const provisioning = new ProvisioningStore(store.db);
  const run = provisioning.listRuns(projectId, 20).find((r) => !r.dryRun && r.summary !== null);
  if (!run) return null;
  // The counts are the run's summary; of its audit log only the sample of failures the report lists is read.
  const failed = provisioning.auditLog({ runId: run.id, status: 'failure', limit: PROVISIONING_FAILURE_SAMPLE });
  const report = readProvisioningLog({
    cycle: run.kind,
    target: run.targetUrl,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    summary: run.summary,
    entries: failed.items,
  });
  return { ...report, failuresFound: failed.total };
}
