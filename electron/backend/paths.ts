import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PRODUCT_NAME = 'SCIM Planner';
export const WORKSPACE_EXTENSION = '.scimplan';

/**
 * The OS user-data folder, the same one Electron's app.getPath('userData') gives for our productName,
 * so the CLI, browser mode and the desktop app share one default workspace.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SCIM_PLANNER_DATA_DIR) return env.SCIM_PLANNER_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

export function defaultWorkspacePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SCIM_PLANNER_WORKSPACE ?? join(userDataDir(env), `workspace${WORKSPACE_EXTENSION}`);
}

/**
 * resources/ in a checkout; in a packaged app electron-builder copies it beside app.asar
 * (extraResources), which main.ts announces through SCIM_PLANNER_RESOURCES.
 */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCIM_PLANNER_RESOURCES) return env.SCIM_PLANNER_RESOURCES;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'demo-tenant'))) return candidate;
    dir = dirname(dir);
  }
  return resolve('resources');
}
