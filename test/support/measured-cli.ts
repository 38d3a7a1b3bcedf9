// The CLI in a child process that reports its own peak RSS last on stderr ("@peak-rss-kb N"), for tests
// that bound what a command may use: `node [--max-old-space-size=N] --import tsx test/support/measured-cli.ts ARGS`.
import { main } from '../../electron/cli.ts';

const code = await main(process.argv.slice(2));
process.stderr.write(`\n@peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
