import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * PDF = the report's HTML printed by a browser engine, so the PDF looks exactly like the HTML's print view.
 * In the desktop app main.ts registers Electron's webContents.printToPDF through `registerPdfPrinter`
 * (this module never imports electron); the CLI and browser mode print with a headless Chromium when one
 * is installed (`--print-to-pdf`).
 */
type PdfPrinter = (html: string) => Promise<Uint8Array>;

let registered: PdfPrinter | null = null;

/** The seam for main.ts: print with Electron (a hidden window, JavaScript off, printToPDF). */
export function registerPdfPrinter(printer: PdfPrinter | null): void {
  registered = printer;
}

export class PdfUnavailableError extends Error {}

const CANDIDATES: Record<string, readonly string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge'],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

/** SCIM_PLANNER_CHROMIUM (or CHROME_PATH) first, then the usual install places of Chromium, Chrome and Edge. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string | null {
  for (const configured of [env.SCIM_PLANNER_CHROMIUM, env.CHROME_PATH]) {
    if (configured && existsSync(configured)) return configured;
  }
  return (CANDIDATES[platform] ?? []).find((path) => existsSync(path)) ?? null;
}

const PRINT_TIMEOUT_MS = 60_000;

function run(binary: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8_000) stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PRINT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Prints HTML to PDF with a headless Chromium; a fresh profile directory so a running browser is never reused. */
async function printWithChromium(html: string, binary: string | null = findChromium()): Promise<Uint8Array> {
  if (!binary) {
    throw new PdfUnavailableError('PDF needs Chromium, Chrome or Edge: none was found. Install one, or set SCIM_PLANNER_CHROMIUM to its path; or save the report as HTML and print it from a browser.');
  }
  const dir = await mkdtemp(join(tmpdir(), 'scim-planner-pdf-'));
  try {
    const input = join(dir, 'report.html');
    const output = join(dir, 'report.pdf');
    await writeFile(input, html, 'utf8');
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${output}`,
      pathToFileURL(input).href,
    ];
    // Chromium refuses its sandbox as root (containers, CI runners).
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    const result = await run(binary, args);
    if (!existsSync(output)) {
      throw new PdfUnavailableError(`Chromium (${binary}) did not write a PDF (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Electron's printer when the app registered one, otherwise headless Chromium. */
export function printPdf(html: string): Promise<Uint8Array> {
  return registered ? registered(html) : printWithChromium(html);
}
