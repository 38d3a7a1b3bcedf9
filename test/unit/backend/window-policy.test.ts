import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { APP_ENTRY_URL } from '../../../electron/app-scheme.ts';
import {
  LOCKED_DOWN_WEB_PREFERENCES,
  mayCallApi,
  mayGrantPermission,
  mayNavigate,
} from '../../../electron/window-policy.ts';

const main = (url: string) => ({ url, isMainFrame: true });
const sub = (url: string) => ({ url, isMainFrame: false });

describe('navigation (will-navigate, will-frame-navigate)', () => {
  it('keeps every frame inside the app', () => {
    expect(mayNavigate(main(APP_ENTRY_URL))).toBe(true);
    expect(mayNavigate(sub('scimplanner://app/index.html'))).toBe(true);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'file:///C:/Users/admin/workspace.scimplan',
      'scimplanner://evil/index.html',
      'blob:scimplanner://app/6d1e',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'about:blank',
    ]) {
      expect(mayNavigate(main(url)), url).toBe(false);
      expect(mayNavigate(sub(url)), url).toBe(false);
    }
  });

  it('lets the report preview’s srcdoc iframe load, but never as the window itself', () => {
    expect(mayNavigate(sub('about:srcdoc'))).toBe(true);
    expect(mayNavigate(main('about:srcdoc'))).toBe(false);
  });
});

describe('permissions (check and request handlers)', () => {
  it('grants clipboard writing to the app’s own top-level page only', () => {
    expect(mayGrantPermission('clipboard-sanitized-write', main(APP_ENTRY_URL))).toBe(true);
    // the check handler may know only the requesting origin
    expect(mayGrantPermission('clipboard-sanitized-write', main('scimplanner://app'))).toBe(true);
    expect(mayGrantPermission('clipboard-sanitized-write', sub(APP_ENTRY_URL))).toBe(false);
    expect(mayGrantPermission('clipboard-sanitized-write', main('https://evil.example/'))).toBe(false);
    expect(mayGrantPermission('clipboard-sanitized-write', main('about:srcdoc'))).toBe(false);
  });

  it('denies every other permission, even to the app', () => {
    for (const permission of [
      'clipboard-read',
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'fileSystem',
      'hid',
      'usb',
      'serial',
      'fullscreen',
      'pointerLock',
      'unknown',
    ]) {
      expect(mayGrantPermission(permission, main(APP_ENTRY_URL)), permission).toBe(false);
    }
  });
});

describe('IPC sender check', () => {
  it('answers only the app’s top-level page', () => {
    expect(mayCallApi(main(APP_ENTRY_URL))).toBe(true);
    expect(mayCallApi(null)).toBe(false);
    expect(mayCallApi(sub(APP_ENTRY_URL))).toBe(false);
    expect(mayCallApi(main('file:///opt/SCIM%20Planner/resources/app.asar/dist/renderer/index.html'))).toBe(false);
    expect(mayCallApi(main('https://evil.example/'))).toBe(false);
    expect(mayCallApi(main('about:srcdoc'))).toBe(false);
  });
});

describe('window preferences', () => {
  it('start every window without Node, isolated, sandboxed and without webviews', () => {
    expect(LOCKED_DOWN_WEB_PREFERENCES).toEqual({
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });
});

describe('main.ts wiring', () => {
  // Electron cannot run here, so this reads main.ts for the hooks that hand each decision to Electron.
  const main = readFileSync('electron/main.ts', 'utf8');
  const windows = main.match(/new BrowserWindow\(/g) ?? [];

  it('wires every decision to its hook and no longer loads files', () => {
    expect(main).toMatch(
      /protocol\.registerSchemesAsPrivileged\(\[\{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES \}\]\)/,
    );
    expect(main).toMatch(
      /protocol\.handle\(APP_SCHEME, \(request\) => serveAppRequest\(request\.url, rendererRoot\)\)/,
    );
    expect(main).toMatch(/loadURL\(APP_ENTRY_URL\)/);
    expect(main).not.toMatch(/loadFile\(|pathToFileURL/);
    for (const hook of ["'will-navigate'", "'will-frame-navigate'", "'will-attach-webview'", 'setWindowOpenHandler']) {
      expect(main, hook).toContain(hook);
    }
    expect(main).toMatch(/setPermissionCheckHandler\([^]*?mayGrantPermission/);
    expect(main).toMatch(/setPermissionRequestHandler\([^]*?mayGrantPermission/);
    expect(main).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => lockDown\(contents\)\)/);
  });

  it('starts each of its windows from the locked-down preferences', () => {
    expect(windows.length).toBeGreaterThan(0);
    expect(main.match(/webPreferences: \{ \.\.\.LOCKED_DOWN_WEB_PREFERENCES/g)).toHaveLength(windows.length);
  });
});
