import { isAppUrl } from './app-scheme.ts';

/**
 * What the desktop window's pages may do, decided here without electron so tests can ask; main.ts
 * wires each answer to its Electron hook (will-navigate, will-frame-navigate, the session's permission
 * handlers, the IPC sender check). Everything not named here is refused.
 */
/**
 * The webPreferences every window starts from (the main window adds its preload, the PDF printer turns
 * JavaScript off): no Node, an isolated and sandboxed renderer, web security on, no insecure content,
 * no experimental Blink features, no <webview>, and a dropped file does not replace the app.
 */
export const LOCKED_DOWN_WEB_PREFERENCES = {
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
} as const;

interface FrameRequest {
  /** the URL the frame navigates to, or the URL of the frame that asks */
  url: string;
  isMainFrame: boolean;
}

/**
 * Navigation stays inside the app. The one other page a frame may show is the report preview's
 * `<iframe sandbox srcdoc>` (renderer/reports/ReportPreviewFrame.tsx), and only as a subframe.
 */
export function mayNavigate({ url, isMainFrame }: FrameRequest): boolean {
  if (isAppUrl(url)) return true;
  return !isMainFrame && url === 'about:srcdoc';
}

/**
 * The copy buttons write with navigator.clipboard.writeText, which Chromium gates on
 * 'clipboard-sanitized-write' (checked, then requested). That is the only permission the app's own
 * top-level page is granted; clipboard reads, devices, notifications and the rest are denied to all.
 */
const GRANTED_TO_THE_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function mayGrantPermission(permission: string, requester: FrameRequest): boolean {
  return GRANTED_TO_THE_APP.has(permission) && requester.isMainFrame && isAppUrl(requester.url);
}

/** IPC answers only the app's top-level page: not a subframe, not a page that navigated elsewhere. */
export function mayCallApi(sender: FrameRequest | null): boolean {
  return sender !== null && sender.isMainFrame && isAppUrl(sender.url);
}
