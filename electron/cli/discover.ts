import { writeFile } from 'node:fs/promises';
import { DISCOVERY_ENDPOINTS, draftProfile, hasDiscovery, noDiscoveryMessage, readDiscovery } from '../backend/endpoint-check/discovery.ts';
import type { PlanDifference } from '../../shared/api/endpoint-check.ts';
import { diffAgainstPlan } from '../backend/endpoint-check/plan-diff.ts';
import { parseCommandArgs } from './args.ts';
import { TARGET_OPTIONS, TARGET_USAGE, targetFromArgs } from './check-endpoint.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';
import { readMappingSetFile, readUsersSources } from './input-files.ts';

const USAGE = `Usage: scim-planner discover --target URL (--token T | --oauth-token-url URL --client-id ID --client-secret S [--scope S])
                             [--out profile.json] [--mappings FILE [--users FILE]] [--format json|table]

Reads the service's /ServiceProviderConfig, /ResourceTypes and /Schemas (GETs only) and drafts a vendor profile
from them: attributes with type, multi-valued, required, mutability, uniqueness and canonical values, custom
extension schemas, and the support flags. Every rule cites "discovered from <URL> on <date>". Review it, then use
the file with --vendor FILE in preview, validate, report, mock-server and check-endpoint.

${TARGET_USAGE}
  --out FILE        write the drafted profile there (without discovery endpoints: the generic profile)
  --mappings FILE   also compare the draft with this plan: targets the service does not declare, required
                    attributes not mapped, type mismatches, values outside canonical values
  --users FILE      with --mappings: check the preview's values for these users too
  --format NAME     json (default): {"target", "discovered", "message", "profile", "diff"}; or table

Exit codes: 0 drafted (and no error in the diff), 1 the diff found errors, 2 bad input or unreachable target.`;

function table(target: string, discovered: boolean, message: string | null, profileId: string, attributes: number, diff: PlanDifference[] | null): string {
  const lines = [discovered ? `Drafted profile "${profileId}" from ${target}: ${attributes} attributes.` : (message ?? '')];
  if (diff) {
    lines.push('', diff.length === 0 ? 'The plan matches what the service declares.' : `Differences with the plan (${diff.length}):`);
    for (const entry of diff) {
      lines.push(`${entry.severity.toUpperCase().padEnd(7)} ${entry.kind}${entry.target ? `  [${entry.target}]` : ''}${entry.users ? `  (${entry.users} users)` : ''}`);
      lines.push(`        ${entry.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const command: CliCommand = {
  name: 'discover',
  summary: "draft a vendor profile from a SCIM service's discovery endpoints, and compare it with a plan",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      ...TARGET_OPTIONS,
      out: { type: 'string' },
      mappings: { type: 'string' },
      users: { type: 'string' },
      format: { type: 'string' },
    });
    const client = targetFromArgs(values);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);
    if (values.users && !values.mappings) throw new UsageError('--users checks values against the plan; add --mappings FILE');
    const set = values.mappings ? await readMappingSetFile(values.mappings) : null;
    const users = values.users ? await readUsersSources(values.users) : undefined;

    const discovery = await readDiscovery(client);
    const exchanges = DISCOVERY_ENDPOINTS.map((endpoint) => discovery.exchanges[endpoint]);
    if (exchanges.every((e) => e.status === null)) {
      io.err(`Exit code 2: ${client.base} could not be reached (${exchanges[0]!.errorMessage ?? exchanges[0]!.errorCode ?? 'no answer'}).`);
      return EXIT_USAGE;
    }
    if (exchanges.some((e) => e.status === 401 || e.status === 403)) {
      io.err(`Exit code 2: ${client.base} refused the credentials (HTTP ${exchanges.find((e) => e.status === 401 || e.status === 403)!.status}).`);
      return EXIT_USAGE;
    }
    const discovered = hasDiscovery(discovery);
    const message = discovered ? null : noDiscoveryMessage(discovery);
    if (message) io.err(message);
    const profile = draftProfile(discovery);
    const diff = set ? await diffAgainstPlan(profile, set, users) : null;
    if (values.out) await writeFile(values.out, `${JSON.stringify(profile, null, 2)}\n`);

    io.out(
      format === 'json'
        ? `${JSON.stringify({ target: client.base, discovered, message, profile, diff }, null, 2)}\n`
        : table(client.base, discovered, message, profile.id, profile.attributes.length, diff),
    );
    const errors = diff?.filter((d) => d.severity === 'error').length ?? 0;
    if (errors > 0) {
      io.err(`Exit code 1: the comparison with the plan found ${errors} error${errors === 1 ? '' : 's'}.`);
      return EXIT_PROBLEMS;
    }
    return EXIT_OK;
  },
};
