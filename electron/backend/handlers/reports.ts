import type { HandlersFor } from '../../../shared/api.ts';
import type { ReportOptionsInput, reportsMethods } from '../../../shared/api/reports.ts';
import { graphApplyInstructions, renderHtml, type Report } from '../../../shared/reports/index.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import type { BackendContext } from '../context.ts';
import { UserFacingError } from '../errors.ts';
import { buildReport } from '../reports/build.ts';
import { PdfUnavailableError } from '../reports/pdf.ts';
import { ReportCache, reportKey } from '../reports/report-cache.ts';
import { renderReportFile, reportFileName, ReportSourceError, workspaceReportInput } from '../reports/service.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';

/** Each open workspace's last reports: Save takes the report the Reports screen shows (report-cache.ts). */
const reportCaches = new WeakMap<WorkspaceSession, ReportCache>();

/**
 * The report of the current project, built from the workspace. Exported for main.ts: the desktop app's
 * File > Save Report shows Electron's save dialog and writes `renderReportFile(...)` to the chosen path.
 */
async function projectReport(ctx: BackendContext, options: ReportOptionsInput): Promise<{ report: Report; set: MappingSet }> {
  const session = ctx.session();
  let input;
  try {
    input = workspaceReportInput(session.store, session.project(), {
      ...(options.snapshotId !== undefined ? { snapshotId: options.snapshotId } : {}),
      ...(options.revision !== undefined ? { revision: options.revision } : {}),
      ...(options.vendorId !== undefined ? { vendorId: options.vendorId } : {}),
    });
  } catch (error) {
    if (error instanceof ReportSourceError) throw new UserFacingError('not-found', error.message);
    throw error;
  }
  const { users, loadGroups, ...rest } = input;
  const snapshot = session.snapshot(users.snapshotId);
  const buildInput = {
    ...rest,
    appVersion: ctx.version,
    options: {
      redaction: options.redaction,
      ...(options.sections ? { sections: options.sections } : {}),
      ...(options.sampleUsers ? { sampleUsers: options.sampleUsers } : {}),
    },
  };
  let cache = reportCaches.get(session);
  if (!cache) reportCaches.set(session, (cache = new ReportCache()));
  const key = reportKey(buildInput, { snapshotId: snapshot.id, fetchedAt: snapshot.fetchedAt, userCount: snapshot.userCount });
  // A job of the workspace: closing it waits for the report's workers to finish reading its file.
  const report = await cache.report(key, () => session.job('report', () => buildReport({ ...buildInput, users, groups: loadGroups() })));
  return { report, set: input.set };
}

export function reportsHandlers(ctx: BackendContext): HandlersFor<typeof reportsMethods> {
  return {
    'reports.preview': async ({ options }) => {
      const { report } = await projectReport(ctx, options);
      return {
        html: renderHtml(report),
        fileName: reportFileName(report.meta.projectName, report.meta.vendor.id, 'html'),
        errors: report.summary.errors,
        warnings: report.summary.warnings,
      };
    },
    'reports.save': async ({ format, options }) => {
      const { report, set } = await projectReport(ctx, options);
      let file;
      try {
        file = await renderReportFile(format, report, set);
      } catch (error) {
        if (error instanceof PdfUnavailableError) throw new UserFacingError('unavailable', error.message);
        throw error;
      }
      const binary = typeof file.content !== 'string';
      return {
        fileName: file.fileName,
        mediaType: file.mediaType,
        encoding: binary ? 'base64' : 'utf8',
        content: binary ? Buffer.from(file.content as Uint8Array).toString('base64') : (file.content as string),
        note: format === 'entra-schema' ? graphApplyInstructions(file.fileName) : null,
      };
    },
  };
}
