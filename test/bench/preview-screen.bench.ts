/**
 * Preview screen benchmark (issue 8): after a change that re-runs the preview, how long until the Preview
 * screen shows the new result for a 10,000-user snapshot (target ≤ 1 s), and the longest main-thread task
 * meanwhile (target < 50 ms: the window never stalls while the backend works).
 * Run: npx tsx test/bench/preview-screen.bench.ts [users] [runs]
 *
 * The change is the vendor picker: it re-runs preview.run exactly as a saved mapping edit does (same
 * snapshot, same engine, same rendering). Baseline, measured in the same run and page: the same re-run
 * on the 200-user demo snapshot, so the ratio shows what 50× more users cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { generateDemoTenant } from '../../scripts/demo-tenant/generate.ts';
import { ensureDemoProject, toSnapshotGroups, toSnapshotUsers } from '../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';
import { chromiumAvailable, launchBrowser, startWebApp } from '../e2e/support/browser.ts';

const USERS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 5);
const VENDORS = ['thrive', 'hithrive', 'haiilo', 'hector', 'generic'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** A workspace whose newest snapshot has `users` demo-shaped users (the preview defaults to the newest). */
function workspaceWith(dir: string, users: number | null): string {
  const path = join(dir, `bench-${users ?? 'demo'}.scimplan`);
  const store = new WorkspaceStore(path);
  const projectId = ensureDemoProject(store);
  if (users !== null) {
    const tenant = generateDemoTenant(users);
    store.addSnapshot({
      projectId,
      label: `${users} demo-shaped users`,
      origin: 'json',
      users: toSnapshotUsers(tenant.users.value as unknown as Record<string, unknown>[]),
      groups: toSnapshotGroups(tenant.groups.value as unknown as Record<string, unknown>[]),
    });
  }
  store.close();
  return path;
}

async function measure(page: Page, users: number): Promise<{ refresh: number[]; longest: number }> {
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const facts = page.getByLabel('Preview run');
  await facts.filter({ hasText: `${users.toLocaleString('en-US')} users` }).or(facts.filter({ hasText: `${users} users` })).waitFor({ timeout: 120_000 });
  await page.evaluate(`(() => {
    const bench = (window.__bench = { longest: 0 });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longest = Math.max(bench.longest, entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  })()`);
  const refresh: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const vendor = VENDORS[i % VENDORS.length]!;
    const before = await facts.textContent();
    const started = Date.now();
    await page.getByLabel('Vendor profile').selectOption(vendor);
    // Done when the run line changed and no run is in progress.
    await page.waitForFunction(
      (previous) => {
        const line = document.querySelector('[aria-label="Preview run"]')?.textContent ?? '';
        return line !== previous && !document.querySelector('.preview-progress');
      },
      before,
      { timeout: 120_000, polling: 'raf' },
    );
    refresh.push(Date.now() - started);
  }
  const longest = (await page.evaluate('window.__bench.longest')) as number;
  return { refresh, longest };
}

async function main(): Promise<void> {
  if (!chromiumAvailable) {
    console.log('Skipped: no Chromium (set CHROMIUM_PATH).');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'scim-planner-preview-bench-'));
  if (!process.env.SCIM_PLANNER_RENDERER_DIR) {
    const out = join(dir, 'renderer');
    await build({ configFile: join(process.cwd(), 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    process.env.SCIM_PLANNER_RENDERER_DIR = out;
  }
  const rows: string[] = [];
  let baseline = NaN;
  try {
    for (const users of [null, USERS]) {
      const app = await startWebApp({ workspace: workspaceWith(dir, users) });
      const browser = await launchBrowser();
      try {
        await browser.page.goto(app.launchUrl);
        const count = users ?? 200;
        const { refresh, longest } = await measure(browser.page, count);
        const m = median(refresh);
        if (users === null) baseline = m;
        rows.push(
          `| ${count.toLocaleString('en-US')} users | ${m.toFixed(0)} ms | ${Math.max(...refresh).toFixed(0)} ms | ${(m / baseline).toFixed(2)}× | ${longest.toFixed(0)} ms |`,
        );
      } finally {
        await browser.close();
        await app.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Preview screen refresh after a change (vendor picker), ${RUNS} runs each, Chromium, browser mode\n`);
  console.log('| snapshot | refresh, median | refresh, max | vs 200-user baseline | longest main-thread task |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
