import { listBuiltInProfiles, type VendorProfile } from '../../shared/vendors/index.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, UsageError, type CliCommand, type CliIO } from './command.ts';
import { resolveProfile } from './input-files.ts';

const USAGE = `Usage: scim-planner vendors [--format json|table] [--show ID|FILE]

Lists the built-in vendor profiles; --show prints one profile (built-in or a file) in full.`;

function summaryOf(profile: VendorProfile) {
  return {
    id: profile.id,
    name: profile.name,
    product: profile.product,
    groups: profile.features.groups.value,
    deprovision: profile.features.deprovision.value,
    tenantUrl: profile.connection.tenantUrl.label,
    secretToken: profile.connection.secretToken.label,
    guide: Object.values(profile.sources)[0]?.title ?? '',
  };
}

function formatVendorTable(profiles: readonly VendorProfile[]): string {
  const rows = profiles.map(summaryOf);
  const header = ['ID', 'NAME', 'GROUPS', 'DEPROVISION', 'TENANT URL (as the vendor names it)'];
  const cells = rows.map((r) => [r.id, r.name, r.groups, r.deprovision, r.tenantUrl]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}

export const command: CliCommand = {
  name: 'vendors',
  summary: 'list the built-in vendor profiles',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, { format: { type: 'string' }, show: { type: 'string' } });
    const format = values.format ?? 'table';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);
    if (values.show) {
      const profile = await resolveProfile(values.show);
      io.out(`${JSON.stringify(profile, null, 2)}\n`);
      return EXIT_OK;
    }
    const profiles = listBuiltInProfiles();
    io.out(format === 'json' ? `${JSON.stringify(profiles.map(summaryOf), null, 2)}\n` : formatVendorTable(profiles));
    return EXIT_OK;
  },
};
