import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockServerDatabaseError, openMockServerDatabase } from '../backend/mock-server/database.ts';
import { generateToken, PortInUseError, startMockServer } from '../backend/mock-server/server.ts';
import { userDataDir } from '../backend/paths.ts';
import type { VendorBehaviour } from '../backend/mock-server/vendor-behaviour.ts';
import { BUILT_IN_PROFILE_IDS, isBuiltInProfileId, loadBuiltInProfile, parseVendorProfileText, toMockBehaviour } from '../../shared/vendors/index.ts';
import { parseFailurePercent } from '../../shared/api/failure-rate.ts';
import { parseCommandArgs, intOption } from './args.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';

/**
 * The behaviour for `--vendor ID|FILE`: a built-in profile by id, or a profile file (anything with a path
 * separator or ending in .json) in the format `scim-planner vendors --show` prints.
 */
export function resolveVendorBehaviour(vendor: string): VendorBehaviour {
  if (isBuiltInProfileId(vendor)) return toMockBehaviour(loadBuiltInProfile(vendor));
  if (!/[\\/]/.test(vendor) && !vendor.toLowerCase().endsWith('.json')) {
    throw new UsageError(`unknown --vendor "${vendor}"; built-in: ${BUILT_IN_PROFILE_IDS.join(', ')}, or the path of a profile file`);
  }
  let text: string;
  try {
    text = readFileSync(vendor, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the vendor profile "${vendor}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parseVendorProfileText(text);
  if (!parsed.ok) {
    throw new UsageError(`the vendor profile "${vendor}" is not valid:\n  ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n  ')}`);
  }
  return toMockBehaviour(parsed.profile);
}

const usage = `Usage: scim-planner mock-server [options]

Runs an Entra-compatible SCIM 2.0 server. When it listens it prints one JSON line on stdout,
{"url": "<Tenant URL>", "token": "<Secret Token>"}; logs go to stderr. Ctrl+C (SIGINT) or SIGTERM stops it.

Options:
  --port N                  port to listen on (default 8080; 0 picks a free port)
  --host ADDR               address to bind (default 127.0.0.1: this machine only)
  --token T                 Secret Token (default: a new random one at each start, never written to disk)
  --vendor ID|FILE          vendor to emulate: ${BUILT_IN_PROFILE_IDS.join(', ')} (default generic),
                            or a vendor profile file
  --strict                  strict RFC 7644 mode: reject Entra's value-level quirks like a strict vendor
  --db FILE|:memory:        state database (default: mock-server.sqlite in the user's data folder;
                            created readable only by you; a file that is not one is refused)
  --base-path PATH          SCIM base path (default /scim/v2)
  --tls                     serve HTTPS with a self-signed certificate generated at start
  --unsupported reject|ignore   what to do with attributes the vendor does not support
  --latency-ms N            add N ms to every request
  --failure-rate P          answer P percent of requests (0 to 100, e.g. 5 or 0.5%) with 500, for rehearsals
`;

function parseOptions(args: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseCommandArgs(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    vendor: { type: 'string' },
    strict: { type: 'boolean' },
    db: { type: 'string' },
    'base-path': { type: 'string' },
    tls: { type: 'boolean' },
    unsupported: { type: 'string' },
    'latency-ms': { type: 'string' },
    'failure-rate': { type: 'string' },
  });
  const port = intOption('port', values.port, 8080);
  if (port < 0 || port > 65535) throw new UsageError(`--port must be between 0 and 65535, got ${port}`);
  const latencyMs = intOption('latency-ms', values['latency-ms'], 0);
  if (latencyMs < 0) throw new UsageError('--latency-ms must not be negative');
  const parsedFailureRate = parseFailurePercent(values['failure-rate'] ?? '0', '--failure-rate');
  if (!parsedFailureRate.ok) throw new UsageError(parsedFailureRate.message);
  const failureRate = parsedFailureRate.rate;
  const vendor = resolveVendorBehaviour(values.vendor ?? 'generic');
  const unsupported = values.unsupported;
  if (unsupported !== undefined && unsupported !== 'reject' && unsupported !== 'ignore') {
    throw new UsageError(`--unsupported expects reject or ignore, got "${unsupported}"`);
  }
  if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token must not be empty');
  const behaviour: VendorBehaviour = unsupported ? { ...vendor, unsupportedAttributes: unsupported } : vendor;
  return {
    port,
    host: values.host ?? '127.0.0.1',
    token: values.token,
    strict: values.strict ?? false,
    dbPath: values.db ?? join(userDataDir(env), 'mock-server.sqlite'),
    basePath: values['base-path'] ?? '/scim/v2',
    tls: values.tls ?? false,
    latencyMs,
    failureRate,
    behaviour,
  };
}

async function run(args: string[], io: CliIO): Promise<number> {
  const options = parseOptions(args, io.env);
  let db;
  try {
    db = openMockServerDatabase(options.dbPath);
  } catch (error) {
    if (!(error instanceof MockServerDatabaseError)) throw error;
    io.err(`mock-server: ${error.message}\n`);
    return EXIT_USAGE;
  }
  let server;
  try {
    server = await startMockServer({
      db,
      port: options.port,
      host: options.host,
      basePath: options.basePath,
      // Generated per start and printed, never stored: the file would keep it in clear text (docs/mock-server.md).
      token: options.token ?? generateToken(),
      mode: options.strict ? 'strict' : 'entra',
      behaviour: options.behaviour,
      tls: options.tls,
      latencyMs: options.latencyMs,
      failureRate: options.failureRate,
    });
  } catch (error) {
    db.close();
    if (error instanceof PortInUseError) {
      io.err(`mock-server: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  io.err(`mock-server: state in ${options.dbPath === ':memory:' ? 'memory (lost on exit)' : options.dbPath}\n`);
  io.err(`mock-server: ${server.mode === 'strict' ? 'strict RFC' : 'Entra-compatible'} mode, vendor ${server.behaviour.name}\n`);
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    io.err(`mock-server: listening on ${options.host}: other machines can reach it\n`);
  }
  // one stderr write per event-loop turn, not per request: under a burst the log lines cost one syscall
  let pendingLines = '';
  server.onRequest((entry) => {
    if (pendingLines === '') setImmediate(() => {
      io.err(pendingLines);
      pendingLines = '';
    });
    pendingLines += `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs}ms${entry.rule ? ' [' + entry.rule + ']' : ''}\n`;
  });
  io.out(JSON.stringify({ url: server.url, token: server.token }) + '\n');

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.err('mock-server: stopping\n');
  await server.stop();
  db.close();
  return EXIT_OK;
}

export const command: CliCommand = {
  name: 'mock-server',
  summary: 'run a local Entra-compatible SCIM server that can behave like a vendor',
  usage,
  run,
};
