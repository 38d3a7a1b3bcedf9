/**
 * Preview engine benchmark (issue 4 goal: 100,000 users, 25-row mapping set, ≤ 3 s wall on 2 cores, ≤ 1 GB).
 * Run: npx tsx test/bench/preview.bench.ts [users]
 * Baseline: evaluation alone (every row's compiled program over every user, nothing else), measured in the
 * same run; the table gives each variant's ratio to it.
 */
import { readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { graphUserToSource, type GraphUser } from '../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { findObjectMapping, importMappingSet, type MappingSet } from '../../shared/mapping/model.ts';
import { compileMappingSet } from '../../shared/preview/compile.ts';
import { previewSnapshot } from '../../shared/preview/run.ts';
import { PreviewRunner } from '../../electron/backend/preview/runner.ts';

const USERS = Number(process.argv[2] ?? 100_000);

function mappingSet(): MappingSet {
  const result = importMappingSet(JSON.parse(readFileSync(new URL('../../resources/templates/entra-scim-default.schema.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(result.issues.join('\n'));
  const set = result.set;
  const rows = findObjectMapping(set, 'User')!.objectMapping.attributeMappings;
  // 22 default rows + 3 expression rows = the issue's 25-row set.
  rows.push(
    { targetAttributeName: 'nickName', source: { type: 'Function', name: 'ToLower', expression: 'ToLower(Join(".", [givenName], [surname]))' }, matchingPriority: 0, flowType: 'Always' },
    { targetAttributeName: 'locale', source: { type: 'Function', name: 'Replace', expression: 'Replace([preferredLanguage], "-", , , "_", , )' }, matchingPriority: 0, flowType: 'Always' },
    { targetAttributeName: 'userType', source: { type: 'Function', name: 'Switch', expression: 'Switch([employeeType], "Member", "Contractor", "Guest", "Employee", "Member")' }, matchingPriority: 0, flowType: 'Always' },
  );
  return set;
}

function users(count: number): SourceObject[] {
  const demo = (JSON.parse(readFileSync(new URL('../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;
  const out: SourceObject[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const user = demo[i % demo.length]!;
    const copy = Math.floor(i / demo.length);
    const id = (raw: string) => `${raw.slice(0, 24)}${String(copy).padStart(12, '0')}`;
    out[i] = graphUserToSource({
      ...user,
      id: id(user.id),
      userPrincipalName: user.userPrincipalName?.replace('@', `.${copy}@`) ?? null,
      manager: user.manager ? { ...user.manager, id: id(user.manager.id) } : null,
    });
  }
  return out;
}

async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const set = mappingSet();
const snapshot = users(USERS);

const evaluation = await time(() => {
  const compiled = compileMappingSet(set);
  let values = 0;
  for (const source of snapshot) for (const row of compiled.rows) if (row.program?.evaluate(source).ok) values++;
  return values;
});
// Keep only the summary so the in-process result is garbage before the worker run.
const inProcess = await time(() => previewSnapshot({ set, users: snapshot }).summary);
const workers = await time(() => new PreviewRunner({ workers: 2, inProcessBelow: 0 }).run({ set, users: snapshot }));
const peakMb = resourceUsage().maxRSS / 1024;

const rowsPerUser = findObjectMapping(set, 'User')!.objectMapping.attributeMappings.length;
const line = (name: string, ms: number) => `| ${name} | ${(ms / 1000).toFixed(2)} s | ${(ms / evaluation.ms).toFixed(2)}× |`;
console.log(`Preview of ${USERS.toLocaleString('en-US')} users × ${rowsPerUser} rows (${workers.value.summary.byAction.create} creates), peak RSS ${peakMb.toFixed(0)} MB\n`);
console.log('| variant | wall time | ratio to evaluation alone |');
console.log('|---|---|---|');
console.log(line('evaluation alone (baseline, 1 thread)', evaluation.ms));
console.log(line('full preview, 1 thread (evaluation, requests, findings)', inProcess.ms));
console.log(line('full preview, 2 worker threads', workers.ms));
