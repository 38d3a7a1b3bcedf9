import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRODUCT_NAME = 'SCIM Planner';
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

/** Files holding tenant data (workspaces, mock server databases and their SQLite side files): this user only. */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_FOLDER_MODE = 0o700;

/**
 * Creates a folder for tenant data, readable only by this user. The app's own data folder is tightened
 * when it already exists (Electron and earlier versions created it 0755); a folder the admin chose is left as it is.
 */
export function ensurePrivateFolder(dir: string, env: NodeJS.ProcessEnv = process.env): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform !== 'win32' && resolve(dir) === resolve(userDataDir(env))) chmodSync(dir, PRIVATE_FOLDER_MODE);
}

/** A folder only the app writes into (the sign-ins): created 0700, and tightened when an earlier version made it 0755. */
export function ensureAppOwnedFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform !== 'win32') chmodSync(dir, PRIVATE_FOLDER_MODE);
}

/** An empty file only this user can read, replacing one that was there (File > Save As onto an existing file). */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'w', PRIVATE_FILE_MODE));
  if (process.platform !== 'win32') chmodSync(path, PRIVATE_FILE_MODE);
}

/** Makes a file of ours and its SQLite side files (-wal, -shm) readable only by this user; POSIX modes only. */
export function makePrivate(path: string): void {
  if (process.platform === 'win32') return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
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
