/**
 * The tables at scale (issue 18, "The UI at a million"): in the real renderer (Chromium, browser mode), how long from
 * the admin's input to the frame that shows its result, in the Tenant table (search, clear, jump to the end and the
 * middle, sort by a column header, the Account enabled and User type filters) and the Preview table (search, action filter, a finding's "Show affected users", jump to the end).
 * Run: npx tsx test/bench/ui-tables.bench.ts [users] [repeats]        (default 100,000 users, 5 repeats)
 *      UI_BENCH_TABLES=tenant measures the Tenant table only (no preview run).
 *
 * Each interaction happens inside the page (an input event, a click, a scroll) and is timed with performance.now()
 * until the grid holds the new result with every visible row loaded, plus one requestAnimationFrame: the frame the
 * admin sees. The baseline is the same interactions on a 1,000-user snapshot in the same run, so the ratio shows
 * what the larger tenant costs. Peak memory: the browser-mode server's VmHWM and the page's JS heap.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { ensureDemoProject } from '../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';
import { graphUserToSource, type GraphUser } from '../../shared/directory/graph-to-source.ts';
import { chromiumAvailable, goToScreen, launchBrowser, startWebApp } from '../e2e/support/browser.ts';

const USERS = Number(process.argv[2] ?? 100_000);
const REPEATS = Number(process.argv[3] ?? 5);
const BASELINE_USERS = 1_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The demo tenant's users replicated with fresh ids and UPNs, streamed (a million never sit in memory at once). */
function* replicatedUsers(count: number): Generator<{ raw: Record<string, unknown>; source: Record<string, unknown> }> {
  const demo = (JSON.parse(readFileSync(new URL('../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;
  for (let i = 0; i < count; i++) {
    const user = demo[i % demo.length]!;
    const copy = Math.floor(i / demo.length);
    const id = (raw: string) => `${raw.slice(0, 24)}${String(copy).padStart(12, '0')}`;
    const raw: GraphUser = {
      ...user,
      id: id(user.id),
      userPrincipalName: user.userPrincipalName?.replace('@', `.${copy}@`) ?? null,
      manager: user.manager ? { ...user.manager, id: id(user.manager.id) } : null,
    };
    yield { raw: raw as unknown as Record<string, unknown>, source: { ...graphUserToSource(raw) } };
  }
}

/** A workspace whose newest snapshot (the one every screen opens on) has `users` users. */
function workspaceWith(dir: string, users: number): { path: string; writeMs: number } {
  const path = join(dir, `ui-${users}.scimplan`);
  const started = performance.now();
  const store = new WorkspaceStore(path);
  const projectId = ensureDemoProject(store);
  store.addSnapshot({ projectId, label: `${users} users`, origin: 'json', users: replicatedUsers(users) });
  store.close();
  return { path, writeMs: performance.now() - started };
}

/**
 * The page code for one interaction: does `act`, then waits (one check per frame) until the grid labelled `grid` shows
 * a result that `ready` accepts with no visible row still loading, and one more frame; resolves to the milliseconds
 * since the input. Composed as one string because the app's CSP (rightly) forbids eval inside the page.
 */
const timedScript = (step: Interaction, timeoutMs: number) => `(async () => {
  const g = () => document.querySelector('[role="grid"][aria-label="${step.grid}"]');
  const before = g()?.getAttribute('aria-rowcount') ?? null;
  // the list started over (a new query empties it before its first page): a result that keeps the count shows this
  let restarted = false;
  const seen = (v) => { if (v === '0') restarted = true; };
  const watch = new MutationObserver((records) => records.forEach((r) => { seen(r.oldValue); seen(r.target.getAttribute('aria-rowcount')); }));
  if (g()) watch.observe(g(), { attributes: true, attributeFilter: ['aria-rowcount'], attributeOldValue: true });
  const ready = (grid, rows, before) => { ${step.ready} };
  const settled = () => {
    const el = g();
    if (!el) return false;
    const rows = [...el.querySelectorAll('[role="row"][aria-rowindex]')];
    if (rows.some((r) => r.textContent === 'Loading…')) return false;
    return ready(el, rows, before);
  };
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const t0 = performance.now();
  (() => { ${step.act} })();
  await frame();
  while (!settled()) {
    if (performance.now() - t0 > ${timeoutMs}) throw new Error(${JSON.stringify(`no result within ${timeoutMs} ms: ${step.name}`)});
    await frame();
  }
  await frame();
  const shown = performance.now() - t0;
  // a narrowed list shows its first page while its matches are counted: every step waits for the exact count before the
  // next (a jump to the end is to the end of the whole list), and a narrowing step is timed to it too
  const exact = (grid) => grid.getAttribute('aria-rowcount') !== '-1';
  while (!exact(g())) {
    if (performance.now() - t0 > ${timeoutMs}) throw new Error(${JSON.stringify(`no exact count within ${timeoutMs} ms: ${step.name}`)});
    await frame();
  }
  watch.disconnect();
  return ${step.narrows ? '[shown, performance.now() - t0]' : '[shown]'};
})()`;

interface Interaction {
  name: string;
  grid: string;
  /** statements run in the page: the input */
  act: string;
  /** the body of a predicate over (grid, rows, before): the result is on screen */
  ready: string;
  /** the step narrows the list: also timed to the frame with its exact count ("…, exact count") */
  narrows?: true;
}

/** Sets a React-controlled input's value the way typing does (the native setter, then an input event). */
const typeInto = (selector: string, value: string) =>
  `const input = document.querySelector('${selector}');
   Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(value)});
   input.dispatchEvent(new Event('input', { bubbles: true }));`;
const scrollTo = (body: string, fraction: number) =>
  `const body = document.querySelector('${body}'); body.scrollTop = (body.scrollHeight - body.clientHeight) * ${fraction};
   body.dispatchEvent(new Event('scroll'));`;
/** the rows shown are the ones around `fraction` of the list */
const showsRowsAt = (fraction: number) =>
  `const total = Number(grid.getAttribute('aria-rowcount')); const want = Math.floor((total - 1) * ${fraction});
   return rows.some((r) => Math.abs(Number(r.getAttribute('aria-rowindex')) - 1 - want) <= 40);`;
const headerScript = (label: string) =>
  `[...document.querySelectorAll('[aria-label="Users"] [role="columnheader"]')].find((h) => h.textContent.startsWith('${label}'))`;
const clickHeader = (label: string) => `${headerScript(label)}.querySelector('button').click();`;
/** the header shows the sort and the list, started over in the new order, is back whole with its first rows loaded */
const sortedBy = (label: string, direction: string, users: number) =>
  `return restarted && ${headerScript(label)}.getAttribute('aria-sort') === '${direction}' && grid.getAttribute('aria-rowcount') === '${users}' && rows.length > 0;`;
/** Picks the Tenant filters' values (label → option value; '' is All), one change event each, as a mouse does. */
const chooseFilters = (choices: Record<string, string>) =>
  Object.entries(choices)
    .map(
      ([label, value]) => `{ const select = [...document.querySelectorAll('.user-filter')].find((l) => l.textContent.startsWith('${label}')).querySelector('select');
       select.value = '${value}'; select.dispatchEvent(new Event('change', { bubbles: true })); }`,
    )
    .join('\n');
const countChanged = `return grid.getAttribute('aria-rowcount') !== before && rows.length > 0;`;
const countIs = (n: number) => `return grid.getAttribute('aria-rowcount') === '${n}' && rows.length > 0;`;

function tenantInteractions(users: number, repeat: number): Interaction[] {
  // alternate terms so every search is a new query, not a repeat of the last one
  const term = ['Smith', 'Sales'][repeat % 2]!;
  return [
    { name: `Tenant: search “${term}”`, grid: 'Users', act: typeInto('input[aria-label="Search users"]', term), ready: countChanged, narrows: true },
    { name: 'Tenant: clear the search', grid: 'Users', act: typeInto('input[aria-label="Search users"]', ''), ready: countIs(users) },
    { name: 'Tenant: jump to the end', grid: 'Users', act: scrollTo('.user-table-body', 1), ready: showsRowsAt(1) },
    { name: 'Tenant: jump to the middle', grid: 'Users', act: scrollTo('.user-table-body', 0.5), ready: showsRowsAt(0.5) },
    { name: 'Tenant: back to the top', grid: 'Users', act: scrollTo('.user-table-body', 0), ready: showsRowsAt(0) },
    { name: 'Tenant: sort by Display name', grid: 'Users', act: clickHeader('Display name'), ready: sortedBy('Display name', 'ascending', users) },
    { name: 'Tenant: sorted, jump to the middle', grid: 'Users', act: scrollTo('.user-table-body', 0.5), ready: showsRowsAt(0.5) },
    { name: 'Tenant: sort by Display name, descending', grid: 'Users', act: clickHeader('Display name'), ready: sortedBy('Display name', 'descending', users) },
    { name: 'Tenant: sorted, jump to the end', grid: 'Users', act: scrollTo('.user-table-body', 1), ready: showsRowsAt(1) },
    { name: 'Tenant: sort by Department', grid: 'Users', act: clickHeader('Department'), ready: sortedBy('Department', 'ascending', users) },
    { name: 'Tenant: sort by Department, descending', grid: 'Users', act: clickHeader('Department'), ready: sortedBy('Department', 'descending', users) },
    { name: 'Tenant: back to the snapshot order', grid: 'Users', act: clickHeader('Department'), ready: sortedBy('Department', 'none', users) },
    { name: 'Tenant: filter Account enabled “No”', grid: 'Users', act: chooseFilters({ 'Account enabled': 'disabled' }), ready: countChanged, narrows: true },
    { name: 'Tenant: filtered, jump to the end', grid: 'Users', act: scrollTo('.user-table-body', 1), ready: showsRowsAt(1) },
    { name: 'Tenant: filter User type “Guest” instead', grid: 'Users', act: chooseFilters({ 'Account enabled': '', 'User type': 'guest' }), ready: countChanged, narrows: true },
    {
      name: 'Tenant: clear the filters',
      grid: 'Users',
      act: chooseFilters({ 'Account enabled': '', 'User type': '' }),
      ready: countIs(users),
    },
  ];
}

function previewInteractions(users: number, repeat: number): Interaction[] {
  const term = ['Smith', 'adele'][repeat % 2]!;
  const chip = (label: string) => `[...document.querySelectorAll('[aria-label="Filter users by action"] button')].find((b) => b.textContent.startsWith('${label}')).click();`;
  return [
    { name: `Preview: search “${term}”`, grid: 'Preview users', act: typeInto('input[aria-label="Search preview users"]', term), ready: countChanged, narrows: true },
    { name: 'Preview: clear the search', grid: 'Preview users', act: typeInto('input[aria-label="Search preview users"]', ''), ready: countIs(users) },
    { name: 'Preview: filter by action (Create)', grid: 'Preview users', act: chip('Create'), ready: countChanged, narrows: true },
    { name: 'Preview: all actions again', grid: 'Preview users', act: chip('All'), ready: countIs(users) },
    {
      name: 'Preview: a finding’s “Show affected users”',
      grid: 'Preview users',
      act: `[...document.querySelectorAll('.finding-list button')].find((b) => b.textContent === 'Show affected users').click();`,
      ready: countChanged,
      narrows: true,
    },
    {
      name: 'Preview: “Show all users”',
      grid: 'Preview users',
      act: `[...document.querySelectorAll('.finding-list button')].find((b) => b.textContent === 'Show all users').click();`,
      ready: countIs(users),
    },
    { name: 'Preview: jump to the end', grid: 'Preview users', act: scrollTo('.preview-user-table [role="grid"] > div:nth-child(2)', 1), ready: showsRowsAt(1) },
    { name: 'Preview: back to the top', grid: 'Preview users', act: scrollTo('.preview-user-table [role="grid"] > div:nth-child(2)', 0), ready: showsRowsAt(0) },
  ];
}

/** Milliseconds to the frame with the result, and for a narrowing step to the frame with its exact count. */
async function timed(page: Page, step: Interaction, timeoutMs: number): Promise<[number, number?]> {
  return (await page.evaluate(timedScript(step, timeoutMs))) as [number, number?];
}

const peakRssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
};

const pageHeapMb = async (page: Page) =>
  ((await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : NaN')) as number) / 2 ** 20;

interface Run {
  times: Map<string, number[]>;
  previewMs: number;
  serverPeakMb: number;
  pageHeapMb: number;
}

async function measure(workspace: string, users: number): Promise<Run> {
  const app = await startWebApp({ workspace });
  const browser = await launchBrowser();
  const times = new Map<string, number[]>();
  const put = (name: string, ms: number) => times.set(name, [...(times.get(name) ?? []), ms]);
  const record = (name: string, [shown, exact]: [number, number?]) => {
    put(name, shown);
    if (exact !== undefined) put(`${name}, exact count`, exact);
  };
  const timeoutMs = 120_000;
  try {
    const page = browser.page;
    await page.goto(app.launchUrl);
    await page.locator('.user-row').first().waitFor({ timeout: timeoutMs });
    await page.waitForFunction((n) => document.querySelector('[role="grid"][aria-label="Users"]')?.getAttribute('aria-rowcount') === String(n), users, { timeout: timeoutMs });
    for (let r = 0; r < REPEATS; r++) for (const step of tenantInteractions(users, r)) record(step.name, await timed(page, step, timeoutMs));
    if (process.env.UI_BENCH_TABLES === 'tenant') return { times, previewMs: NaN, serverPeakMb: peakRssMb(app.pid), pageHeapMb: await pageHeapMb(page) };

    const started = performance.now();
    await goToScreen(page, 'Preview');
    await page.waitForFunction((n) => document.querySelector('[role="grid"][aria-label="Preview users"]')?.getAttribute('aria-rowcount') === String(n), users, { timeout: 30 * 60_000 });
    const previewMs = performance.now() - started;
    await page.locator('.finding-list button', { hasText: 'Show affected users' }).first().waitFor({ timeout: timeoutMs });
    for (let r = 0; r < REPEATS; r++) for (const step of previewInteractions(users, r)) record(step.name, await timed(page, step, timeoutMs));
    return { times, previewMs, serverPeakMb: peakRssMb(app.pid), pageHeapMb: await pageHeapMb(page) };
  } finally {
    await browser.close();
    await app.stop();
  }
}

async function main(): Promise<void> {
  if (!chromiumAvailable) {
    console.log('Skipped: no Chromium (set CHROMIUM_PATH).');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'scim-planner-ui-bench-'));
  try {
    if (!process.env.SCIM_PLANNER_RENDERER_DIR) {
      const out = join(dir, 'renderer');
      await build({ configFile: join(process.cwd(), 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
      process.env.SCIM_PLANNER_RENDERER_DIR = out;
    }
    const small = workspaceWith(dir, BASELINE_USERS);
    const large = workspaceWith(dir, USERS);
    const baseline = await measure(small.path, BASELINE_USERS);
    const result = await measure(large.path, USERS);

    const n = (x: number) => x.toLocaleString('en-US');
    console.log(`Tables at ${n(USERS)} users vs ${n(BASELINE_USERS)}: input → the frame that shows the result, median of ${REPEATS} (Chromium, browser mode)\n`);
    console.log(`| interaction | ${n(BASELINE_USERS)} users, median | ${n(USERS)} users, median | ${n(USERS)} users, max | ratio |`);
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, ms] of result.times) {
      const base = median(baseline.times.get(name) ?? [NaN]);
      console.log(`| ${name} | ${base.toFixed(0)} ms | ${median(ms).toFixed(0)} ms | ${Math.max(...ms).toFixed(0)} ms | ${(median(ms) / base).toFixed(2)}× |`);
    }
    const preview = Number.isNaN(result.previewMs)
      ? 'no preview run (UI_BENCH_TABLES=tenant)'
      : `preview until the table showed every user: ${(result.previewMs / 1000).toFixed(1)} s (${n(BASELINE_USERS)}: ${(baseline.previewMs / 1000).toFixed(1)} s)`;
    console.log(`\nSnapshot written in ${(large.writeMs / 1000).toFixed(1)} s; ${preview}.`);
    console.log(`Peak RSS of the browser-mode server: ${result.serverPeakMb.toFixed(0)} MB (${n(BASELINE_USERS)}: ${baseline.serverPeakMb.toFixed(0)} MB); page JS heap at the end: ${result.pageHeapMb.toFixed(0)} MB (${baseline.pageHeapMb.toFixed(0)} MB).`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
