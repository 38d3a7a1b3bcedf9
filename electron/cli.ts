import { once } from 'node:events';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './cli/command.ts';
import { commandLoaders } from './cli/registry.ts';
import { appVersion } from './backend/version.ts';
import { defaultWorkspacePath } from './backend/paths.ts';

/** Writes to a stream and, when its buffer is full, waits for 'drain' (or its error): a slow reader holds the writer back. */
async function writeAwaitingDrain(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function consoleIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    write: (text) => writeAwaitingDrain(process.stdout, text),
    stdin: process.stdin,
    env: process.env,
  };
}

async function overview(): Promise<string> {
  const lines = [
    `scim-planner ${appVersion()} — plan and rehearse Microsoft Entra ID SCIM provisioning`,
    '',
    'Usage: scim-planner <command> [options]',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(commandLoaders)) {
    const command = await load();
    lines.push(`  ${name.padEnd(14)} ${command.summary}`);
  }
  lines.push(
    '',
    'Options:',
    '  --help, -h     show this help, or a command’s help: scim-planner <command> --help',
    '  --version, -v  print the version',
    '',
    `Commands that read or write the workspace take --workspace FILE (default: ${defaultWorkspacePath()}).`,
    'Exit codes: 0 success, 1 the check or run found problems, 2 bad input or usage.',
  );
  return lines.join('\n');
}

/** The dispatcher: finds the subcommand, runs it, and turns usage errors into exit code 2. */
export async function main(argv: string[], io: CliIO = consoleIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(await overview());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.out(appVersion());
    return EXIT_OK;
  }
  const load = commandLoaders[first];
  if (!load) {
    io.err(`scim-planner: unknown command "${first}". Run scim-planner --help for the list.`);
    return EXIT_USAGE;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      // The message, then one line on where help is: the full usage would bury the message (20+ lines).
      io.err(`scim-planner ${first}: ${error.message}\nRun \`scim-planner ${first} --help\` for its options.`);
      return EXIT_USAGE;
    }
    io.err(`scim-planner ${first}: ${(error as Error).message}`);
    return EXIT_USAGE;
  }
}
