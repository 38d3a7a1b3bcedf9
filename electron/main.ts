import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
  type WebContents,
} from 'electron';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL, IPC_USERS_FILE_CHANNEL, ipcChannel, methodNames, type Envelope, type ImportResult } from '../shared/api.ts';
import { IPC_LOG_FILES_CHANNEL, type LogUploadDto, type PreloadLogFiles } from '../shared/api/log-comparison.ts';
import { fileTextChunks } from './backend/directory/snapshot.ts';
import { holdLogFiles } from './backend/synchronization/log-files.ts';
import { UserFacingError } from './backend/errors.ts';
import { Backend } from './backend/backend.ts';
import { registerPdfPrinter } from './backend/reports/pdf.ts';
import type { CacheEncryptor } from './backend/directory/auth.ts';
import { dispatch } from './backend/dispatch.ts';
import { WORKSPACE_EXTENSION } from './backend/paths.ts';
import { fitToDisplays, isSafeExternalUrl, loadWindowBounds, saveWindowBounds } from './backend/window-state.ts';
import { APP_CONTENT_SECURITY_POLICY, APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-scheme.ts';
import { LOCKED_DOWN_WEB_PREFERENCES, mayCallApi, mayGrantPermission, mayNavigate } from './window-policy.ts';

// Bundled to dist-electron/main.mjs; the renderer bundle sits in dist/renderer beside it.
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = dirname(here);
const rendererRoot = join(appRoot, 'dist', 'renderer');

if (app.isPackaged) process.env.SCIM_PLANNER_RESOURCES = join(process.resourcesPath, 'resources');
// better-sqlite3 needs a build for Electron's ABI; scripts/build-electron.mjs puts it here so the
// Node build used by tests and the CLI stays untouched (see electron/backend/workspace/db.ts).
const electronSqlite = app.isPackaged
  ? undefined
  : join(appRoot, 'build', 'electron-native', 'better_sqlite3.node');
if (electronSqlite && existsSync(electronSqlite)) process.env.SCIM_PLANNER_SQLITE_BINDING = electronSqlite;

app.enableSandbox();
// Before 'ready', as Electron requires: the window's pages come from scimplanner://app (app-scheme.ts), never file://.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let backend: Backend;

/** MSAL's token cache at rest, encrypted with the OS key store (Keychain, DPAPI, libsecret/kwallet). */
function createSafeStorageEncryptor(): CacheEncryptor | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}

/**
 * Linux without a keyring: safeStorage falls back to `basic_text`, a fixed key that only obfuscates.
 * The admin is told and asked once before a sign-in is written to disk (issue 7); "no" keeps it in memory.
 */
function weakStorageConsent(): (() => Promise<boolean>) | undefined {
  if (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text') return undefined;
  return async () => {
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'Keep the sign-in on this computer?',
      message: 'No keyring is available, so the sign-in cannot be encrypted properly.',
      detail:
        'Without GNOME Keyring or KWallet, the stored tokens are only obfuscated: anyone who can read your files could read your directory until the tokens expire. Keep the sign-in in memory only (sign in again next time), or store it anyway?',
      buttons: ['Keep in memory only', 'Store anyway'],
      defaultId: 0,
      cancelId: 0,
    });
    return response === 1;
  };
}
let mainWindow: BrowserWindow | null = null;

function windowStatePath(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

function createWindow(): void {
  const bounds = fitToDisplays(
    loadWindowBounds(windowStatePath()),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    title: 'SCIM Planner',
    show: false,
    webPreferences: { ...LOCKED_DOWN_WEB_PREFERENCES, preload: join(here, 'preload.cjs'), spellcheck: false },
  });
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const rememberBounds = () => {
    if (window.isDestroyed()) return;
    saveWindowBounds(windowStatePath(), { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', rememberBounds);

  void window.loadURL(APP_ENTRY_URL);
  mainWindow = window;
}

/**
 * Every web contents (the main window, the PDF printer, anything created later) shows only our bundle:
 * navigation of any frame away from the app is refused, no <webview> is attached, new windows are
 * denied and validated https links go to the system browser instead.
 */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!mayNavigate({ url: event.url, isMainFrame: event.isMainFrame })) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!mayNavigate({ url: event.url, isMainFrame: event.isMainFrame })) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
app.on('web-contents-created', (_event, contents) => lockDown(contents));

/** The session's side: our scheme's files, the window's CSP, and the one permission the app's page gets. */
function secureSession(): void {
  const appSession = session.defaultSession;
  appSession.protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, rendererRoot));
  // The scheme's responses carry the policy already; the header also covers anything loaded another way.
  appSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY] } });
  });
  appSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    mayGrantPermission(permission, { url: details.requestingUrl ?? requestingOrigin, isMainFrame: details.isMainFrame }),
  );
  appSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(mayGrantPermission(permission, { url: details.requestingUrl, isMainFrame: details.isMainFrame })),
  );
  appSession.setDevicePermissionHandler(() => false);
}

function registerIpc(): void {
  for (const name of methodNames) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      // Answer only our own page (Signal's pattern: validate the sender, then the arguments).
      const frame = event.senderFrame;
      if (!mayCallApi(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null)) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not call the SCIM Planner API' } };
      }
      return dispatch(backend.handlers, name, input);
    });
  }
  ipcMain.handle(IPC_USERS_FILE_CHANNEL, (event) => {
    const frame = event.senderFrame;
    if (!mayCallApi(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null)) {
      return { ok: false, error: { code: 'forbidden', message: 'This page may not call the SCIM Planner API' } };
    }
    return chooseAndImportUsersFile();
  });
  ipcMain.handle(IPC_LOG_FILES_CHANNEL, (event) => {
    const frame = event.senderFrame;
    if (!mayCallApi(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null)) {
      return { ok: false, error: { code: 'forbidden', message: 'This page may not call the SCIM Planner API' } };
    }
    return chooseLogFiles();
  });
  backend.events.subscribe((name, payload) => mainWindow?.webContents.send(IPC_EVENT_CHANNEL, name, payload));
}

/** The native file dialog, then the backend reads the chosen file as a stream (any size; the renderer never sees the path). */
async function chooseAndImportUsersFile(): Promise<Envelope<ImportResult> | null> {
  const options: OpenDialogOptions = {
    title: 'Import users from a file',
    properties: ['openFile'],
    filters: [
      { name: 'Users file (CSV or Graph users JSON)', extensions: ['csv', 'json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  const path = result.filePaths[0];
  if (result.canceled || !path) return null;
  try {
    return { ok: true, value: backend.importUsersFile({ fileName: basename(path), chunks: fileTextChunks(path) }) };
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: `Cannot import ${basename(path)}: ${(error as Error).message}` } };
  }
}

/** The portal's provisioning-log download: the JSON file, or the CSV file with its ModifiedProperties file. */
async function chooseLogFiles(): ReturnType<PreloadLogFiles['choose']> {
  const options: OpenDialogOptions = {
    title: 'Import the provisioning logs downloaded from the portal',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Provisioning logs (JSON, or the CSV pair)', extensions: ['json', 'csv'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  if (result.canceled || result.filePaths.length === 0) return null;
  try {
    const held: LogUploadDto[] = await holdLogFiles(backend.logUploads, result.filePaths.slice(0, 2));
    return { ok: true, value: held };
  } catch (error) {
    const code = error instanceof UserFacingError ? error.code : 'internal';
    return { ok: false, error: { code, message: `Cannot read the provisioning logs: ${(error as Error).message}` } };
  }
}

const workspaceFilters = [{ name: 'SCIM Planner workspace', extensions: [WORKSPACE_EXTENSION.slice(1)] }];

async function fileAction(action: 'new' | 'open' | 'saveAs'): Promise<void> {
  try {
    if (action === 'open') {
      const result = await dialog.showOpenDialog({ properties: ['openFile'], filters: workspaceFilters });
      if (!result.canceled && result.filePaths[0]) await backend.openWorkspace(result.filePaths[0]);
      return;
    }
    const result = await dialog.showSaveDialog({
      title: action === 'new' ? 'New workspace' : 'Save workspace as',
      filters: workspaceFilters,
    });
    if (result.canceled || !result.filePath) return;
    if (action === 'new') {
      if (existsSync(result.filePath)) {
        dialog.showErrorBox('New workspace', `${result.filePath} already exists; choose a new file name.`);
        return;
      }
      await backend.openWorkspace(result.filePath);
    } else {
      await backend.saveWorkspaceAs(result.filePath);
    }
  } catch (error) {
    dialog.showErrorBox('Workspace', (error as Error).message);
  }
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Workspace…', accelerator: 'CmdOrCtrl+N', click: () => void fileAction('new') },
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => void fileAction('open') },
        { label: 'Save Workspace As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void fileAction('saveAs') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    {
      label: 'Help',
      submenu: [
        {
          label: 'Entra provisioning expressions (Microsoft Learn)',
          click: () =>
            void shell.openExternal('https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data'),
        },
        {
          label: 'About SCIM Planner',
          click: () =>
            void dialog.showMessageBox({
              message: `SCIM Planner ${app.getVersion()}`,
              detail: `Workspace: ${backend.workspacePath}`,
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.whenReady().then(() => {
  secureSession();
  try {
    backend = new Backend({
      mode: 'electron',
      workspacePath: join(app.getPath('userData'), `workspace${WORKSPACE_EXTENSION}`),
      version: app.getVersion(),
      directory: {
        tokenCacheDir: join(app.getPath('userData'), 'sign-ins'),
        encryptor: createSafeStorageEncryptor(),
        confirmWeakStorage: weakStorageConsent(),
        // Chromium's network stack (system proxy, PAC, WPAD, OS certificate store) for Graph and MSAL's sign-in.
        graph: { fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init) },
      },
    });
  } catch (error) {
    dialog.showErrorBox('SCIM Planner could not open its workspace', (error as Error).message);
    app.exit(1);
    return;
  }
  registerIpc();
  // Reports print through Chromium's own PDF engine in an offscreen, script-less window (issue 10).
  registerPdfPrinter(async (html) => {
    const printer = new BrowserWindow({ show: false, webPreferences: { ...LOCKED_DOWN_WEB_PREFERENCES, javascript: false } });
    try {
      await printer.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      return new Uint8Array(await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' }));
    } finally {
      printer.destroy();
    }
  });
  buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void backend?.close());
