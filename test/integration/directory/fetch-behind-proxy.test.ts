/**
 * `scim-planner fetch` behind a TLS-inspecting proxy, run as an admin runs it: a child process with
 * HTTPS_PROXY (or http_proxy) and NODE_EXTRA_CA_CERTS. The proxy tunnels login.microsoftonline.com to the
 * fake authority and graph.microsoft.com to the fake Graph, both on 127.0.0.1 with certificates from a test
 * CA, as an inspecting proxy re-signs them. Node reads NODE_EXTRA_CA_CERTS only at start-up, hence the child.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGraphUsersJson } from '../../../shared/directory/graph-json-import.ts';
import { startFakeAuthorityServer, type FakeAuthorityServer } from '../../support/fake-graph/authority-server.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { createFakeAuthority, type FakeAuthority } from '../../support/fake-graph/fake-authority.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { startTestProxy, type TestProxy } from '../../support/proxy/forward-proxy.ts';
import { createTestCa } from '../../support/proxy/test-ca.ts';
import { tempDir } from '../../support/temp.ts';

const CLIENT_ID = '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607';
const TENANT_ID = '3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';
const BIN = resolve(import.meta.dirname, '../../../bin/scim-planner.mjs');

/** The parent's environment without anything that would decide the child's route or trust for it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(https?_proxy|no_proxy|all_proxy)$/i.test(name) || name === 'NODE_EXTRA_CA_CERTS') delete env[name];
  }
  return env;
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('scim-planner fetch behind a proxy that inspects HTTPS', () => {
  const temp = tempDir('fetch-behind-proxy-');
  const data = demoGraphData();
  const caFile = join(temp.path, 'inspection-ca.pem');
  let authority: FakeAuthority;
  let authorityServer: FakeAuthorityServer;
  let graph: FakeGraph;
  let contosoGraph: FakeGraph;
  let proxy: TestProxy;
  let localGraph: FakeGraph;

  beforeAll(async () => {
    const ca = createTestCa();
    writeFileSync(caFile, ca.certPem);
    const tls = ca.issue(['login.microsoftonline.com', 'graph.microsoft.com', 'graph.contoso.test']);
    graph = await startFakeGraph(data, { tls, publicOrigin: 'https://graph.microsoft.com' });
    contosoGraph = await startFakeGraph(data, { tls, publicOrigin: 'https://graph.contoso.test' });
    localGraph = await startFakeGraph(data, { tls: ca.issue(['127.0.0.1']) });
    // pendingPolls 0: the token endpoint answers the first poll, so the child need not wait MSAL's interval.
    authority = createFakeAuthority({
      tenantId: TENANT_ID,
      accessToken: graph.accessToken,
      clientId: CLIENT_ID,
      pendingPolls: 0,
    });
    authorityServer = await startFakeAuthorityServer(authority, tls);
    proxy = await startTestProxy({
      routes: {
        'login.microsoftonline.com:443': authorityServer.port,
        'graph.microsoft.com:443': graph.port,
        'graph.contoso.test:443': contosoGraph.port,
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await authorityServer.close();
    await graph.close();
    await contosoGraph.close();
    await localGraph.close();
    temp.cleanup();
  });

  it('signs in with a device code and reads Graph, both through HTTPS_PROXY, trusting NODE_EXTRA_CA_CERTS', async () => {
    const before = proxy.records.length;
    const workspace = join(temp.path, 'device-code.scimplan');
    const out = join(temp.path, 'users.json');
    const run = await runCli(
      [
        'fetch',
        '--tenant',
        TENANT_ID,
        '--client-id',
        CLIENT_ID,
        '--device-code',
        '--workspace',
        workspace,
        '--out',
        out,
      ],
      { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile },
    );
    expect(run.stderr).toContain('enter the code FAKE-CODE');
    expect(run.stderr).toContain('Signed in as admin@contoso.onmicrosoft.com.');
    expect(run.stdout).toContain(`Fetched ${data.users.length} users and ${data.groups!.length} groups`);
    expect(run.code).toBe(0);
    // undici 6 flags its proxy agent as experimental; that warning is not the admin's business.
    expect(run.stderr).not.toContain('experimental');
    expect(importGraphUsersJson(readFileSync(out, 'utf8'))).toHaveLength(data.users.length);

    const through = proxy.records.slice(before);
    expect([...new Set(through.map((r) => r.target))]).toEqual([
      'login.microsoftonline.com:443',
      'graph.microsoft.com:443',
    ]);
    expect(through.every((r) => r.method === 'CONNECT' && r.status === 200)).toBe(true);
    const posts = authority.requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url));
    expect(posts.map((u) => `${u.host}${u.pathname}`)).toEqual([
      `login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/devicecode`,
      `login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`,
    ]);
    expect(graph.requests.some((r) => r.url.startsWith('/v1.0/users') && r.status === 200)).toBe(true);
  });

  it('fails the sign-in with a certificate error that names the fix when the CA is not trusted', async () => {
    const before = proxy.records.length;
    const workspace = join(temp.path, 'untrusted.scimplan');
    const run = await runCli(
      ['fetch', '--tenant', TENANT_ID, '--client-id', CLIENT_ID, '--device-code', '--workspace', workspace],
      { HTTPS_PROXY: proxy.url },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `fetch failed: Could not reach https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/devicecode: the server's certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
    );
    expect(run.stderr).toContain('set NODE_EXTRA_CA_CERTS to that file');
    expect(proxy.records.slice(before).map((r) => r.target)).toEqual(['login.microsoftonline.com:443']);
    expect(existsSync(workspace)).toBe(false);
  });

  it('reads Graph with a pasted token through http_proxy by name (GraphReader on environmentFetch)', async () => {
    const before = proxy.records.length;
    const seenBefore = contosoGraph.requests.length;
    const workspace = join(temp.path, 'token.scimplan');
    const run = await runCli(
      [
        'fetch',
        '--access-token',
        contosoGraph.accessToken,
        '--graph-base-url',
        'https://graph.contoso.test/',
        '--workspace',
        workspace,
      ],
      // With only http_proxy set, https goes through it too (undici's EnvHttpProxyAgent falls back to it).
      { http_proxy: proxy.url, NODE_EXTRA_CA_CERTS: caFile },
    );
    expect(run.stdout).toContain(`Fetched ${data.users.length} users`);
    expect(run.code).toBe(0);
    expect(new Set(proxy.records.slice(before).map((r) => r.target))).toEqual(new Set(['graph.contoso.test:443']));
    const reads = contosoGraph.requests.slice(seenBefore);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.headers.authorization === `Bearer ${contosoGraph.accessToken}`)).toBe(true);
  });

  it("trusts NODE_EXTRA_CA_CERTS on the direct route too, without proxy variables (Node's global fetch)", async () => {
    const before = proxy.records.length;
    const args = ['fetch', '--access-token', localGraph.accessToken, '--graph-base-url', localGraph.baseUrl];
    const trusted = await runCli([...args, '--workspace', join(temp.path, 'direct.scimplan')], {
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(trusted.stdout).toContain(`Fetched ${data.users.length} users`);
    expect(trusted.code).toBe(0);
    const untrusted = await runCli([...args, '--workspace', join(temp.path, 'direct-untrusted.scimplan')], {});
    expect(untrusted.code).toBe(1);
    // One "Could not reach", naming the URL that failed (not the origin and then the URL again).
    expect(untrusted.stderr).toContain(`fetch failed: Could not reach ${localGraph.origin}/v1.0/`);
    expect(untrusted.stderr.match(/Could not reach/g)).toHaveLength(1);
    expect(untrusted.stderr).toContain("the server's certificate is not trusted");
    expect(proxy.records.length).toBe(before);
  });
});
