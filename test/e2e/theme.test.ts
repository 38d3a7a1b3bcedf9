import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, goToScreen, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';
import { contrastProblems } from './support/contrast.ts';

/** Each screen, with what shows that it has drawn its data (so the audit reads a filled screen). */
const SCREENS: Array<{ name: string; ready: (page: Page) => Promise<unknown> }> = [
  { name: 'Tenant', ready: (page) => page.locator('.user-row').first().waitFor() },
  { name: 'Mappings', ready: (page) => page.getByRole('table').first().waitFor() },
  { name: 'Preview', ready: (page) => page.locator('.preview-row').first().waitFor({ timeout: 60_000 }) },
  {
    name: 'Mock server',
    ready: (page) =>
      page
        .getByRole('button', { name: /^Start/ })
        .first()
        .waitFor(),
  },
  { name: 'Provisioning', ready: (page) => page.locator('main h1, main h2').first().waitFor() },
  { name: 'Reports', ready: (page) => page.locator('main h1, main h2').first().waitFor() },
];

describe.skipIf(!chromiumAvailable)('light and dark, following the OS, with readable text on every screen', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`meets WCAG AA text contrast on every screen in the ${scheme} theme`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(app.launchUrl);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      // The page follows the OS: a light canvas in light mode, a dark one in dark mode.
      const [r, g, b] = background.match(/\d+/g)!.map(Number) as [number, number, number];
      expect((r + g + b) / 3, `body background ${background}`).toSatisfy((mean: number) =>
        scheme === 'dark' ? mean < 80 : mean > 200,
      );

      const found: Record<string, string[]> = {};
      for (const screen of SCREENS) {
        await goToScreen(page, screen.name);
        await screen.ready(page);
        const problems = await contrastProblems(page);
        if (problems.length)
          found[screen.name] = problems.map(
            (p) => `${p.element}: ${p.ratio} < ${p.required} (${p.color} on ${p.background})`,
          );
        await screenshot(page, `theme-${scheme}-${screen.name.toLowerCase().replace(/\s+/g, '-')}`);
      }
      expect(found).toEqual({});
    });
  }

  it('gives the expression editor and its panel the theme of the OS, with readable text', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await goToScreen(page, 'Mappings');
    await page.getByRole('button', { name: 'Add New Mapping' }).click();
    await page.getByLabel('Edit attribute').locator('select').first().selectOption('Expression');
    const editor = page.locator('.edit-attribute .monaco-editor').first();
    await editor.waitFor({ timeout: 30_000 });
    await expect.poll(() => editor.getAttribute('class')).toMatch(/\bvs-dark\b/);
    expect(await contrastProblems(page)).toEqual([]);
    await screenshot(page, 'theme-dark-expression-editor');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => editor.getAttribute('class')).not.toMatch(/\bvs-dark\b/);
    expect(await contrastProblems(page)).toEqual([]);
  });

  it('the audit itself reports grey-on-white text (so an empty result above means something)', async () => {
    await page.evaluate(() => {
      const probe = document.createElement('p');
      probe.className = 'contrast-probe';
      probe.textContent = 'Pale text';
      probe.style.cssText = 'position:fixed;top:0;left:0;z-index:9999;color:#b0b0b0;background:#ffffff;font-size:14px';
      document.body.append(probe);
    });
    const problems = await contrastProblems(page);
    await page.evaluate(() => document.querySelector('.contrast-probe')?.remove());
    expect(problems).toEqual([expect.objectContaining({ element: 'p.contrast-probe "Pale text"', required: 4.5 })]);
    expect(problems[0]!.ratio).toBeCloseTo(2.15, 1);
  });
});
