import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Window size and position, remembered between launches (the logic behind main.ts, testable without Electron). */
interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}
interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1360, height: 860 };
const MIN_WIDTH = 900;
const MIN_HEIGHT = 600;

export function loadWindowBounds(path: string): WindowBounds {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<WindowBounds>;
    if (typeof parsed.width === 'number' && typeof parsed.height === 'number') return parsed as WindowBounds;
  } catch {
    // first launch, or a damaged file: fall back to the default size
  }
  return DEFAULT_BOUNDS;
}

export function saveWindowBounds(path: string, bounds: WindowBounds): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(bounds));
}

/**
 * Keeps a remembered window usable: a monitor may have been unplugged since, so a position that is
 * not mostly on some display is dropped (the OS then centres the window), and the size is clamped.
 */
export function fitToDisplays(bounds: WindowBounds, displays: readonly DisplayArea[]): WindowBounds {
  const width = Math.max(MIN_WIDTH, bounds.width);
  const height = Math.max(MIN_HEIGHT, bounds.height);
  const result: WindowBounds = { width, height, maximized: bounds.maximized ?? false };
  if (bounds.x === undefined || bounds.y === undefined) return result;
  const visible = displays.some((d) => {
    const overlapX = Math.min(bounds.x! + width, d.x + d.width) - Math.max(bounds.x!, d.x);
    const overlapY = Math.min(bounds.y! + height, d.y + d.height) - Math.max(bounds.y!, d.y);
    return overlapX >= Math.min(200, width / 2) && overlapY >= Math.min(100, height / 2);
  });
  if (!visible) return result;
  const display = displays.find((d) => bounds.x! >= d.x && bounds.x! < d.x + d.width) ?? displays[0]!;
  return { ...result, x: bounds.x, y: bounds.y, width: Math.min(width, display.width), height: Math.min(height, display.height) };
}

/** Only web links leave the app, and only to the system browser (main.ts's shell.openExternal seam). */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
