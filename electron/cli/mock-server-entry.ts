/**
 * A process that is only the mock server (`scim-planner mock-server` without the dispatcher): tests and
 * benchmarks spawn `node --import tsx electron/cli/mock-server-entry.ts [mock-server options]` and read its
 * one JSON line. It belongs to the CLI door; the backend never imports the CLI.
 */
import { command } from './mock-server.ts';
import { EXIT_USAGE, UsageError } from './command.ts';

try {
  const code = await command.run(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
  });
  process.exitCode = code;
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`mock-server: ${error.message}\n\n${command.usage}`);
    process.exitCode = EXIT_USAGE;
  } else {
    throw error;
  }
}
