/**
 * Mock SCIM server benchmark (issue 6): this server vs scimmy + scimmy-routers on express (in-memory store
 * indexed by userName) vs a bare node:http ceiling answering a fixed ListResponse. 10,000 users loaded;
 * GET filter userName eq, POST, PATCH replace; requests/s and p99 with autocannon on 127.0.0.1; then
 * filter latency of this server at 1,000 and 100,000 users. Each server runs in its own process.
 *
 *   npx tsx test/bench/mock-server.bench.ts
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { configureMockServerDatabase, MockStore } from '../../electron/backend/mock-server/store.ts';

const require = createRequire(import.meta.url);
const TOKEN = 'bench-token';
const DURATION_S = 4;
const CONNECTIONS = 10;
const here = fileURLToPath(import.meta.url);

const userBody = (name: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: name,
  active: true,
  displayName: name,
  name: { givenName: 'Bench', familyName: name },
  emails: [{ type: 'work', value: name, primary: true }],
});

// ---------------------------------------------------------------------------------------------
// Server roles (run in child processes)

async function serveCeiling(): Promise<void> {
  const body = JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: 1,
    Resources: [{ ...userBody('user1@bench.test'), id: randomUUID() }],
    startIndex: 1,
    itemsPerPage: 1,
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n'));
}

async function serveScimmy(users: number): Promise<void> {
  const SCIMMY = require('scimmy');
  const express = require('express');
  const SCIMMYRouters = require('scimmy-routers').default ?? require('scimmy-routers');
  const byId = new Map<string, Record<string, unknown>>();
  const byUserName = new Map<string, string>();
  const store = (record: Record<string, unknown>) => {
    byId.set(String(record.id), record);
    byUserName.set(String(record.userName).toLowerCase(), String(record.id));
    return record;
  };
  for (let i = 0; i < users; i++) store({ ...userBody(`user${i}@bench.test`), id: randomUUID() });

  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .egress((resource: { id?: string; filter?: { expression?: string } }) => {
      if (resource.id) {
        const found = byId.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, null, `User ${resource.id} not found`);
        return found;
      }
      const match = /^userName eq "(.*)"$/i.exec(resource.filter?.expression ?? '');
      if (match) {
        const id = byUserName.get(match[1]!.toLowerCase());
        return id ? [byId.get(id)] : [];
      }
      return [...byId.values()];
    })
    .ingress((resource: { id?: string }, instance: Record<string, unknown>) => {
      if (resource.id) {
        const previous = byId.get(resource.id);
        if (!previous) throw new SCIMMY.Types.Error(404, null, `User ${resource.id} not found`);
        return store({ ...instance, id: resource.id });
      }
      if (byUserName.has(String(instance.userName).toLowerCase())) throw new SCIMMY.Types.Error(409, 'uniqueness', 'userName taken');
      return store({ ...instance, id: randomUUID() });
    })
    .degress((resource: { id: string }) => {
      byId.delete(resource.id);
    });
  const app = express();
  app.use('/scim/v2', new SCIMMYRouters({ type: 'bearer', docUri: 'https://example.invalid', handler: () => 'bench' }));
  const server = app.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n'));
}

// ---------------------------------------------------------------------------------------------
// Driver

interface Started {
  child: ChildProcess;
  base: string;
}

function waitForJsonLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function startRole(role: 'ceiling' | 'scimmy', users: number): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', here, '--serve', role, String(users)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { port } = await waitForJsonLine(child);
  return { child, base: `http://127.0.0.1:${String(port)}/scim/v2` };
}

function preloadDatabase(path: string, users: number): string[] {
  const db = new Database(path);
  configureMockServerDatabase(db);
  const store = new MockStore(db);
  const ids: string[] = [];
  store.transaction(() => {
    for (let i = 0; i < users; i++) ids.push(String(store.createUser(userBody(`user${i}@bench.test`)).id));
  });
  db.close();
  return ids;
}

async function startOurs(dir: string, users: number): Promise<Started & { ids: string[] }> {
  const dbPath = join(dir, `mock-${users}.sqlite`);
  const ids = preloadDatabase(dbPath, users);
  const entry = join(here, '../../../electron/cli/mock-server-entry.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', '--db', dbPath, '--token', TOKEN], { stdio: ['ignore', 'pipe', 'ignore'] });
  const { url } = await waitForJsonLine(child);
  return { child, base: String(url), ids };
}

async function listIds(base: string, count: number): Promise<string[]> {
  const response = await fetch(`${base}/Users?startIndex=1&count=${count}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const body = (await response.json()) as { Resources: { id: string }[] };
  return body.Resources.map((r) => r.id);
}

type Scenario = 'GET filter userName eq' | 'POST /Users' | 'PATCH replace';

interface Measurement {
  rps: number;
  p99: number;
  non2xx: number;
}

async function measure(base: string, scenario: Scenario, users: number, ids: string[]): Promise<Measurement> {
  const autocannon = require('autocannon');
  const url = new URL(base);
  let counter = 0;
  const run = Math.random().toString(36).slice(2, 8);
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json' };
  const request =
    scenario === 'GET filter userName eq'
      ? {
          method: 'GET',
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            path: `${url.pathname}/Users?filter=userName+eq+%22user${Math.floor(Math.random() * users)}%40bench.test%22`,
          }),
        }
      : scenario === 'POST /Users'
        ? {
            method: 'POST',
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              path: `${url.pathname}/Users`,
              body: JSON.stringify(userBody(`new${counter++}.${run}@bench.test`)),
            }),
          }
        : {
            method: 'PATCH',
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              path: `${url.pathname}/Users/${ids[counter % ids.length]}`,
              body: JSON.stringify({
                schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                Operations: [{ op: 'replace', path: 'displayName', value: `Renamed ${counter++} ${run}` }],
              }),
            }),
          };
  const result = await autocannon({
    url: `${url.protocol}//${url.host}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers,
    requests: [request],
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mock-bench-'));
  const scenarios: Scenario[] = ['GET filter userName eq', 'POST /Users', 'PATCH replace'];
  const rows: Record<string, Record<Scenario, Measurement>> = {};
  const children: ChildProcess[] = [];
  try {
    const ceiling = await startRole('ceiling', 0);
    children.push(ceiling.child);
    rows.ceiling = {} as Record<Scenario, Measurement>;
    for (const s of scenarios) rows.ceiling[s] = await measure(ceiling.base, s, 10_000, ['x']);
    ceiling.child.kill();

    const scimmy = await startRole('scimmy', 10_000);
    children.push(scimmy.child);
    const scimmyIds = await listIds(scimmy.base, 1000);
    rows.scimmy = {} as Record<Scenario, Measurement>;
    for (const s of scenarios) rows.scimmy[s] = await measure(scimmy.base, s, 10_000, scimmyIds);
    scimmy.child.kill();

    const ours = await startOurs(dir, 10_000);
    children.push(ours.child);
    rows.ours = {} as Record<Scenario, Measurement>;
    for (const s of scenarios) rows.ours[s] = await measure(ours.base, s, 10_000, ours.ids.slice(0, 1000));
    ours.child.kill();

    const flat: Record<number, Measurement> = {};
    for (const users of [1_000, 100_000]) {
      const server = await startOurs(dir, users);
      children.push(server.child);
      flat[users] = await measure(server.base, 'GET filter userName eq', users, []);
      server.child.kill();
    }

    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`\nMock SCIM server, autocannon ${CONNECTIONS} connections x ${DURATION_S}s per cell, 10,000 users loaded\n`);
    console.log('| Scenario | Server | req/s | p99 ms | vs ceiling | vs scimmy | non-2xx |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const s of scenarios) {
      for (const [name, label] of [['ours', 'this server'], ['scimmy', 'scimmy + scimmy-routers'], ['ceiling', 'bare node:http ceiling']] as const) {
        const m = rows[name]![s];
        const vsCeiling = name === 'ceiling' ? '1.00x' : `${(m.rps / rows.ceiling![s].rps).toFixed(2)}x`;
        const vsScimmy = name === 'scimmy' ? '1.00x' : `${(m.rps / rows.scimmy![s].rps).toFixed(1)}x`;
        console.log(`| ${s} | ${label} | ${fmt(m.rps)} | ${m.p99} | ${vsCeiling} | ${vsScimmy} | ${m.non2xx} |`);
      }
    }
    console.log('\n| Users loaded | GET filter req/s | p99 ms | vs 1,000 users |');
    console.log('|---:|---:|---:|---:|');
    for (const users of [1_000, 100_000]) {
      console.log(`| ${users.toLocaleString('en-US')} | ${fmt(flat[users]!.rps)} | ${flat[users]!.p99} | ${(flat[users]!.rps / flat[1_000]!.rps).toFixed(2)}x |`);
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) {
  const role = process.argv[serveIndex + 1];
  const users = Number(process.argv[serveIndex + 2] ?? 0);
  if (role === 'ceiling') await serveCeiling();
  else await serveScimmy(users);
} else {
  await main();
}
