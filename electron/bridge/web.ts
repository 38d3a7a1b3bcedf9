import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Backend, type BackendOptions } from '../backend/backend.ts';
import { appVersion, projectRoot } from '../backend/version.ts';
import { startBridge } from './server.ts';

interface BrowserModeOptions {
  port: number;
  workspace?: string;
  /** the directory area's options (sign-in storage, MSAL's network seam); the CLI passes none */
  directory?: BackendOptions['directory'];
}

/**
 * The whole app in a browser, for machines without Electron's binary and for the end-to-end tests.
 * Prints the launch URL (with this launch's token) and serves until SIGINT or SIGTERM.
 */
export async function serveBrowserMode(options: BrowserModeOptions): Promise<void> {
  const backend = new Backend({
    mode: 'browser',
    workspacePath: options.workspace,
    version: appVersion(),
    directory: options.directory,
  });
  const bridge = await startBridge({
    handlers: backend.handlers,
    events: backend.events,
    importUsersFile: (input) => backend.importUsersFile(input),
    acceptLogFile: (fileName, text) => backend.logUploads.add(fileName, text),
    // SCIM_PLANNER_RENDERER_DIR lets parallel test runs serve their own build of the renderer.
    staticDir: process.env.SCIM_PLANNER_RENDERER_DIR ?? join(projectRoot(), 'dist', 'renderer'),
    port: options.port,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      console.error(`Port ${options.port} is in use: pass another with \`npm run web -- --port N\` (0 picks a free one).`);
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

/** `npm run web [-- --port N --workspace FILE]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.SCIM_PLANNER_PORT ?? '5178' },
      workspace: { type: 'string' },
    },
    strict: true,
  });
  await serveBrowserMode({ port: Number(values.port), workspace: values.workspace });
}

// Only when run as the program: test/e2e/support imports serveBrowserMode to give the backend a fake authority.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`SCIM Planner could not start: ${(error as Error).message}`);
    process.exit(1);
  });
}
