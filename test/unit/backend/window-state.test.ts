import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { DEFAULT_BOUNDS, fitToDisplays, isSafeExternalUrl, loadWindowBounds, saveWindowBounds } from '../../../electron/backend/window-state.ts';
import { tempDir } from '../../support/temp.ts';

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window state', () => {
  it('remembers size and position between launches', () => {
    const dir = tempDir();
    const path = join(dir.path, 'nested', 'window-state.json');
    saveWindowBounds(path, { x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(loadWindowBounds(path)).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    dir.cleanup();
  });

  it('falls back to the default size for a missing or damaged file', () => {
    const dir = tempDir();
    const path = join(dir.path, 'window-state.json');
    expect(loadWindowBounds(path)).toEqual(DEFAULT_BOUNDS);
    writeFileSync(path, '{not json');
    expect(loadWindowBounds(path)).toEqual(DEFAULT_BOUNDS);
    dir.cleanup();
  });

  it('drops a position that is on a monitor no longer attached', () => {
    const fitted = fitToDisplays({ x: 2500, y: 100, width: 1200, height: 800 }, [laptop]);
    expect(fitted.x).toBeUndefined();
    expect(fitted.width).toBe(1200);
  });

  it('keeps a visible position and clamps the size to the display and the minimum', () => {
    expect(fitToDisplays({ x: 10, y: 10, width: 4000, height: 300 }, [laptop])).toEqual({
      x: 10,
      y: 10,
      width: 1920,
      height: 600,
      maximized: false,
    });
  });
});

describe('external links', () => {
  it('opens only plain https links in the system browser', () => {
    expect(isSafeExternalUrl('https://learn.microsoft.com/entra/')).toBe(true);
    expect(isSafeExternalUrl('http://example.com')).toBe(false);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@example.com')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });
});
