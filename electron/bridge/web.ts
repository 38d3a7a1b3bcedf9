import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Backend } from '../backend/backend.ts';
import { appVersion, projectRoot } from '../backend/version.ts';
import { startBridge } from './server.ts';

/**
 * `npm run web`: the whole app in a browser, for machines without Electron's binary and for the
 * end-to-end tests. Prints the launch URL (with this launch's token) and serves until stopped.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.SCIM_PLANNER_PORT ?? '5178' },
      workspace: { type: 'string' },
    },
    strict: true,
  });
  const backend = new Backend({ mode: 'browser', workspacePath: values.workspace, version: appVersion() });
  const bridge = await startBridge({
    handlers: backend.handlers,
    events: backend.events,
    // SCIM_PLANNER_RENDERER_DIR lets parallel test runs serve their own build of the renderer.
    staticDir: process.env.SCIM_PLANNER_RENDERER_DIR ?? join(projectRoot(), 'dist', 'renderer'),
    port: Number(values.port),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      console.error(`Port ${values.port} is in use: pass another with \`npm run web -- --port N\` (0 picks a free one).`);
      process.exit(2);
    }
    throw error;
  });
  console.log(`SCIM Planner (browser mode) — workspace: ${backend.workspacePath}`);
  console.log(`Open: ${bridge.launchUrl}`);
  const stop = async () => {
    await bridge.close();
    await backend.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`SCIM Planner could not start: ${(error as Error).message}`);
  process.exit(1);
});
