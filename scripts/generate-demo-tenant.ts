/**
 * Writes the committed "Contoso demo" tenant (resources/demo-tenant/*.json) from the seeded generator.
 *
 *   npx tsx scripts/generate-demo-tenant.ts [--out DIR] [--count N]
 *
 * Output is byte-for-byte deterministic; test/unit/directory/demo-tenant.test.ts regenerates it and
 * compares with the committed files, so edit the generator, rerun this, and commit both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_TENANT_DEFAULT_COUNT, demoTenantFiles, generateDemoTenant } from './demo-tenant/generate.ts';

export { generateDemoTenant, demoTenantFiles } from './demo-tenant/generate.ts';

export const DEMO_TENANT_DIR = resolve(fileURLToPath(new URL('../resources/demo-tenant', import.meta.url)));

/** Writes every demo-tenant file into `dir` and returns the paths written. */
export function writeDemoTenant(dir: string = DEMO_TENANT_DIR, count: number = DEMO_TENANT_DEFAULT_COUNT): string[] {
  mkdirSync(dir, { recursive: true });
  const files = demoTenantFiles(generateDemoTenant(count));
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content, 'utf8');
    return path;
  });
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' }, count: { type: 'string' } }, strict: true });
  const count = values.count === undefined ? DEMO_TENANT_DEFAULT_COUNT : Number(values.count);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--count expects a positive whole number, got "${values.count}"`);
  for (const path of writeDemoTenant(values.out ? resolve(values.out) : DEMO_TENANT_DIR, count))
    console.log(`wrote ${path}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
