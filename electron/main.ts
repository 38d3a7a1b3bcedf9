import { app, BrowserWindow, dialog, ipcMain, Menu, net, safeStorage, screen, session, shell, type MenuItemConstructorOptions } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, ipcChannel, methodNames } from '../shared/api.ts';
import { Backend } from './backend/backend.ts';
import { registerPdfPrinter } from './backend/reports/pdf.ts';
import type { CacheEncryptor } from './backend/directory/auth.ts';
import { dispatch } from './backend/dispatch.ts';
import { CONTENT_SECURITY_POLICY } from './bridge/server.ts';
import { WORKSPACE_EXTENSION } from './backend/paths.ts';
import { fitToDisplays, isSafeExternalUrl, loadWindowBounds, saveWindowBounds } from './backend/window-state.ts';

// Bundled to dist-electron/main.mjs; the renderer bundle sits in dist/renderer beside it.
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = dirname(here);
const rendererIndex = join(appRoot, 'dist', 'renderer', 'index.html');

if (app.isPackaged) process.env.SCIM_PLANNER_RESOURCES = join(process.resourcesPath, 'resources');
// better-sqlite3 needs a build for Electron's ABI; scripts/build-electron.mjs puts it here so the
// Node build used by tests and the CLI stays untouched (see electron/backend/workspace/db.ts).
const electronSqlite = app.isPackaged
  ? undefined
  : join(appRoot, 'build', 'electron-native', 'better_sqlite3.node');
if (electronSqlite && existsSync(electronSqlite)) process.env.SCIM_PLANNER_SQLITE_BINDING = electronSqlite;

app.enableSandbox();

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
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const rememberBounds = () => {
    if (window.isDestroyed()) return;
    saveWindowBounds(windowStatePath(), { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', rememberBounds);

  // The window shows only our bundle: navigation elsewhere is refused and new windows are denied;
  // https links go to the system browser after validation.
  const appUrl = pathToFileURL(rendererIndex).href;
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadFile(rendererIndex);
  mainWindow = window;
}

function registerIpc(): void {
  const appUrl = pathToFileURL(rendererIndex).href;
  for (const name of methodNames) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      // Answer only our own page (Signal's pattern: validate the sender, then the arguments).
      if (event.senderFrame?.url !== appUrl) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not call the SCIM Planner API' } };
      }
      return dispatch(backend.handlers, name, input);
    });
  }
  backend.events.subscribe((name, payload) => mainWindow?.webContents.send(IPC_EVENT_CHANNEL, name, payload));
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
  // The bundle's meta tag sets the same policy; the header also covers anything loaded later.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
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
    const printer = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, javascript: false } });
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
