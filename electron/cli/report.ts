import { basename, resolve } from 'node:path';
import {
  EndpointCheckFileError,
  graphApplyInstructions,
  readEndpointCheck,
  readProvisioningLog,
  REDACTION_MODES,
  REPORT_FORMATS,
  REPORT_SECTIONS,
  type RedactionMode,
  type Report,
  type ReportFormat,
  type ReportSection,
} from '../../shared/reports/index.ts';
import type { MappingSet } from '../../shared/mapping/model.ts';
import { BUILT_IN_PROFILE_IDS } from '../../shared/vendors/index.ts';
import { UserFacingError } from '../backend/errors.ts';
import { PdfUnavailableError } from '../backend/reports/pdf.ts';
import { buildReport, type BuildReportInput, type SnapshotUsers } from '../backend/reports/build.ts';
import { renderReportFile, ReportSourceError, snapshotUsersOf, workspaceReportInput, writeReportFile } from '../backend/reports/service.ts';
import { appVersion } from '../backend/version.ts';
import { WorkspaceStore } from '../backend/workspace/store.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, UsageError, type CliCommand, type CliIO } from './command.ts';
import { graphGroupsToSources, isProfileFile, readJson, readMappingSetFile, resolveProfile, usersFileSnapshotOf } from './input-files.ts';

const USAGE = `Usage: scim-planner report --mappings FILE --users FILE --vendor ID --format FORMAT --out FILE
                           [--redact off|pseudonymise|remove] [--tenant-name NAME] [--provision-log FILE]
                           [--groups FILE] [--endpoint-check FILE] [--sample UPN]... [--sections LIST]
       scim-planner report --workspace FILE [--project NAME] --format FORMAT --out FILE [...]

Writes a mapping report to hand to a vendor's support team or to colleagues for sign-off: the mapping
table with every expression in plain words, what differs from Entra's defaults and from the vendor's
recommended set, custom attributes to add, findings, sample payloads, coverage and what the vendor's
guide asks for in a ticket.

  --format FORMAT      ${REPORT_FORMATS.join(' | ')}
                       (pdf needs Chromium, Chrome or Edge; entra-schema is the mapping set as the body
                       of Graph's PUT …/synchronization/jobs/{jobId}/schema)
  --out FILE           where to write the report
  --mappings FILE      Graph synchronization schema JSON (or a SCIM Planner mapping-set file)
  --users FILE         Graph users JSON ({"value": [...]} from GET /users, managers expanded)
  --vendor ID|FILE     a built-in profile (${BUILT_IN_PROFILE_IDS.join(', ')}) or a profile file; with
                       --workspace also one of the project's own profiles, and when omitted the
                       project's vendor (the one chosen in the app)
  --redact MODE        pseudonymise (default: consistent fake names, e-mails, ids and phones),
                       remove (no user values, no sample payloads) or off
  --tenant-name NAME   printed on the report
  --provision-log FILE the audit log \`scim-planner provision --log FILE\` wrote: its run is summarised
  --endpoint-check FILE
                       the JSON \`scim-planner check-endpoint --format json\` printed: its run becomes the
                       "Vendor endpoint check" section (with --workspace, the project's last run by default)
  --groups FILE        Graph groups JSON with members (group checks; Hector's role association)
  --sample UPN         a user whose payloads are shown (repeat for more; default: the first few creates)
  --sections LIST      comma list of ${REPORT_SECTIONS.join(', ')}
  --workspace FILE     read the snapshot, the latest mapping revision and the project's vendor from a workspace,
                       and the revision's newest check with Microsoft (\`scim-planner verify --workspace\`)
  --project NAME       the workspace project (default: the first one)

Exit codes: 0 report written, 2 bad input.`;

function parseSections(raw: string | undefined): ReportSection[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(REPORT_SECTIONS as readonly string[]).includes(name));
  if (unknown.length) throw new UsageError(`Unknown section(s) ${unknown.join(', ')}; choose from ${REPORT_SECTIONS.join(', ')}`);
  return names as ReportSection[];
}

function sizeOf(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

export const command: CliCommand = {
  name: 'report',
  summary: 'write a mapping report (HTML, PDF, Markdown, CSV, JSON or Entra schema) with PII redaction',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      mappings: { type: 'string' },
      users: { type: 'string' },
      vendor: { type: 'string' },
      format: { type: 'string' },
      redact: { type: 'string' },
      'tenant-name': { type: 'string' },
      'provision-log': { type: 'string' },
      groups: { type: 'string' },
      'endpoint-check': { type: 'string' },
      sample: { type: 'string', multiple: true },
      sections: { type: 'string' },
      workspace: { type: 'string' },
      project: { type: 'string' },
      out: { type: 'string' },
    });
    const format = values.format;
    if (!format || !(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('--out FILE is required');
    const redaction = (values.redact ?? 'pseudonymise') as RedactionMode;
    if (!REDACTION_MODES.includes(redaction)) throw new UsageError(`--redact must be one of ${REDACTION_MODES.join(', ')}, got "${values.redact}"`);
    if (!values.workspace && (!values.mappings || !values.users)) throw new UsageError('Give --mappings FILE and --users FILE, or --workspace FILE');
    if (!values.workspace && !values.vendor) throw new UsageError(`--vendor is required (${BUILT_IN_PROFILE_IDS.join(', ')}, or a profile file)`);

    // Closed (and the users file's scratch workspace removed) once the report is built: the report reads users from them.
    const cleanup: (() => void)[] = [];
    try {
      const report = await reportOf(values, redaction, cleanup);
      let file;
      try {
        file = await renderReportFile(format as ReportFormat, report.report, report.set);
      } catch (error) {
        if (error instanceof PdfUnavailableError) throw new UsageError(error.message);
        throw error;
      }
      await writeReportFile(values.out, file);
      const { errors, warnings } = report.report.summary;
      io.out(`Wrote ${values.out} (${format}, ${sizeOf(file.content)}, redaction ${redaction}): ${report.report.meta.users} users, ${errors} errors, ${warnings} warnings.\n`);
      if (format === 'entra-schema') io.out(`${graphApplyInstructions(basename(values.out))}\n`);
      return EXIT_OK;
    } finally {
      for (const step of cleanup.reverse()) step();
    }
  },
};

type ReportValues = Partial<Record<'mappings' | 'users' | 'vendor' | 'tenant-name' | 'provision-log' | 'groups' | 'endpoint-check' | 'sections' | 'workspace' | 'project', string>> & { sample?: string[] | undefined };

/** The report of the command's inputs; what must stay open while it is built goes on `cleanup`. */
async function reportOf(values: ReportValues, redaction: RedactionMode, cleanup: (() => void)[]): Promise<{ report: Report; set: MappingSet }> {
  let base: Omit<BuildReportInput, 'options'>;
  if (values.workspace) {
    const store = WorkspaceStore.open(resolve(values.workspace), { readOnly: true });
    cleanup.push(() => store.close());
    try {
      const projects = store.listProjects();
      const project = values.project ? projects.find((p) => p.name === values.project) : projects[0];
      if (!project) throw new UsageError(values.project ? `No project "${values.project}" in ${values.workspace}; it has: ${projects.map((p) => p.name).join(', ') || 'none'}` : `The workspace ${values.workspace} has no project`);
      // a vendor id names a built-in or the project's own profile; a file is read below
      const vendorId = values.vendor !== undefined && !isProfileFile(values.vendor) ? values.vendor : undefined;
      const { loadGroups, ...input } = workspaceReportInput(store, project, vendorId !== undefined ? { vendorId } : {});
      // The workspace's groups only when no --groups file stands in for them.
      base = values.groups ? input : { ...input, groups: loadGroups() };
    } catch (error) {
      if (error instanceof ReportSourceError || error instanceof UserFacingError) throw new UsageError(error.message);
      throw error;
    }
  } else {
    base = {
      projectName: values.project ?? basename(values.mappings!).replace(/\.[^.]*$/, '').replace(/\.schema$/, ''),
      tenantName: null,
      mappingLabel: basename(values.mappings!),
      set: undefined as never,
      users: [],
      profile: undefined as never,
    };
  }
  if (values.mappings) base = { ...base, set: await readMappingSetFile(values.mappings), mappingLabel: basename(values.mappings) };
  if (values.groups) base = { ...base, groups: graphGroupsToSources(await readJson(values.groups, 'groups'), values.groups) };
  if (values.vendor && (!values.workspace || isProfileFile(values.vendor))) base = { ...base, profile: await resolveProfile(values.vendor) };
  if (values['tenant-name']) base = { ...base, tenantName: values['tenant-name'] };
  let provisioning = null;
  if (values['provision-log']) {
    try {
      provisioning = readProvisioningLog(await readJson(values['provision-log'], 'provisioning log'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`The provisioning log "${values['provision-log']}": ${(error as Error).message}`);
    }
  }
  if (values['endpoint-check']) {
    const path = values['endpoint-check'];
    try {
      base = { ...base, endpointCheck: readEndpointCheck(await readJson(path, 'endpoint check')) };
    } catch (error) {
      if (error instanceof EndpointCheckFileError) throw new UsageError(`The endpoint check file "${path}": ${error.message}`);
      throw error;
    }
  }
  const sections = parseSections(values.sections);
  // Last, once every other input is known good: a large users file takes a while to stream into its scratch snapshot.
  if (values.users) base = { ...base, users: await usersFileOf(values.users, cleanup) };
  const report = await buildReport({
    ...base,
    provisioning,
    appVersion: appVersion(),
    options: { redaction, ...(sections ? { sections } : {}), ...(values.sample ? { sampleUsers: values.sample } : {}) },
  });
  return { report, set: base.set };
}

/**
 * A users file streamed into a scratch workspace snapshot (as \`preview --format summary\` does), so the report's preview
 * workers read it a range at a time and nothing here holds its users; removed by `cleanup`.
 */
async function usersFileOf(path: string, cleanup: (() => void)[]): Promise<SnapshotUsers> {
  const scratch = await usersFileSnapshotOf(path, 'users');
  cleanup.push(() => scratch.dispose());
  const store = WorkspaceStore.open(scratch.workspacePath, { readOnly: true });
  cleanup.push(() => store.close());
  return snapshotUsersOf(store, scratch.snapshotId, scratch.userCount);
}
