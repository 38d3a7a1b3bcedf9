/**
 * Process entry for the mock server until the `scim-planner` dispatcher exists; tests spawn it with
 * `node --import tsx electron/backend/mock-server/entry.ts [mock-server options]`.
 */
import { command } from '../../cli/mock-server.ts';
import { EXIT_USAGE, UsageError } from '../../cli/command.ts';

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
