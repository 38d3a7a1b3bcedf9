import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/** The Mappings screen and the Monaco expression editor in Chromium, under the app's real CSP. */
describe.skipIf(!chromiumAvailable)('Mappings screen in browser mode', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  const editor = () => page.locator('.edit-attribute .monaco-editor');
  const editorText = () => page.evaluate(() => (document.querySelector('.edit-attribute .monaco-editor .view-lines') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? '');
  const liveValue = () => page.locator('.live-selected').textContent();
  /**
   * Points the mouse at the middle of the editor's first drawn underline and returns the hover's text ('' while none
   * shows). By position, not by element: Monaco redraws a line's underlines each frame, so an underline element found
   * a moment ago can be gone (or an underline of the text typed before) when the mouse gets there; each poll looks again.
   */
  const hoverUnderline = async () => {
    const at = await page.evaluate(() => {
      const drawn = [...document.querySelectorAll('.edit-attribute .squiggly-error')].map((e) => e.getBoundingClientRect());
      const box = drawn.find((r) => r.width > 0 && r.height > 0);
      return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : null;
    });
    if (!at) return '';
    await page.mouse.move(at.x, at.y);
    const hover = page.locator('.monaco-hover:visible').first();
    return (await hover.textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
  };

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows Entra’s default mappings in the portal’s columns', async () => {
    await page.goto(app.launchUrl);
    await page.getByRole('button', { name: 'Mappings', exact: true }).click();
    await expect.poll(() => page.locator('.mapping-table tbody tr').count()).toBeGreaterThan(15);
    expect(await page.locator('.mapping-table thead th').allTextContents()).toContain('Match objects using this attribute');
    expect(await page.getByTestId('revision-badge').textContent()).toContain('Entra default mappings (not saved)');
    await screenshot(page, 'mappings-table');
  });

  it('underlines an unknown function, fixes it, completes a function and an attribute, and updates the live value', async () => {
    await page.getByRole('button', { name: 'Add New Mapping' }).click();
    await page.getByLabel('Edit attribute').locator('select').first().selectOption('Expression');
    await expect.poll(() => editor().count()).toBe(1);
    await editor().click();
    // Monaco closes ( [ and " itself; typing the closer steps over it.
    await page.keyboard.type('ToLowr([givenName');
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await expect.poll(editorText).toBe('ToLowr([givenName])');
    await expect.poll(() => page.locator('.edit-attribute .squiggly-error').count()).toBeGreaterThan(0);
    await expect.poll(liveValue).toContain('Unknown function ToLowr; did you mean ToLower?');
    await page.keyboard.press('Home');
    // Hovering the underline shows the checker's message next to the (missing) function's docs.
    await expect.poll(hoverUnderline, { timeout: 15_000 }).toContain('did you mean ToLower?');
    await screenshot(page, 'mappings-editor-diagnostic');

    // Quick fix from the diagnostic's suggestion (Ctrl+.).
    await page.keyboard.press('Control+.');
    await expect.poll(() => page.getByText('Change to ToLower').count()).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await expect.poll(editorText).toBe('ToLower([givenName])');
    await expect.poll(() => page.locator('.edit-attribute .squiggly-error').count()).toBe(0);
    await expect.poll(() => page.locator('.live-selected .live-value').count()).toBe(1);
    const lower = (await page.locator('.live-selected .live-value').textContent())!;
    expect(lower).toBe(lower.toLowerCase());

    // Function completion with a snippet, then an attribute completion inside [ ].
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ToUp');
    await page.keyboard.press('Control+Space');
    await expect.poll(() => page.locator('.suggest-widget .monaco-list-row.focused').textContent()).toContain('ToUpper');
    await page.keyboard.press('Enter');
    await expect.poll(editorText).toBe('ToUpper(source)');
    await page.keyboard.type('[giv');
    await expect.poll(() => page.locator('.suggest-widget .monaco-list-row.focused').textContent()).toContain('givenName');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(editorText).toBe('ToUpper([givenName])');
    await expect.poll(() => page.locator('.live-selected .live-value').textContent()).toBe(lower.toUpperCase());
    expect(lower.toUpperCase()).not.toBe(lower);
    expect(await page.locator('.live-strip li').count()).toBeGreaterThan(2);
    await screenshot(page, 'mappings-editor-live');
  });

  it('adds the row and saves a revision, then compares it with Entra’s defaults', async () => {
    await page.getByLabel('Edit attribute').locator('input[list="target-attribute-options"]').fill('nickName');
    await page.getByRole('button', { name: 'Ok' }).click();
    await expect.poll(() => page.locator('.mapping-table td.target').last().textContent()).toBe('nickName');
    await page.getByLabel('Revision label').fill('Upper-case nickName');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('revision-badge').textContent()).toBe('Revision 1: Upper-case nickName');

    await page.getByRole('tab', { name: 'Revisions' }).click();
    await page.getByLabel('Compare from').selectOption('template');
    await page.getByLabel('Compare to').selectOption('r1');
    await expect.poll(() => page.locator('.diff-added').textContent()).toContain('nickName');
    expect(await page.locator('.diff-added').textContent()).toContain('ToUpper([givenName])');
    await screenshot(page, 'mappings-revision-diff');
  });

  it('ran without CSP violations or page errors', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
