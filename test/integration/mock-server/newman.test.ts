import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.ts';

const collectionPath = join(import.meta.dirname, '../../../../shared/peer-suites/ms-scim-reference.postman_collection.json');
const hasCollection = existsSync(collectionPath);
if (!hasCollection) console.warn('skipping the Microsoft Postman collection: ../shared/peer-suites is absent');

interface Item {
  name: string;
  item?: Item[];
  request?: { url: { raw: string; path?: string[] } | string };
}

/**
 * Adapts Microsoft's collection to this server, changing only what encodes the reference server's private
 * choices (docs/mock-server.md "Microsoft's Postman collection"): the "Get Token" folder calls the reference
 * server's own token endpoint, and "Get ServiceProviderConfig" uses its private path /serviceConfiguration
 * instead of RFC 7644's /ServiceProviderConfig (the assertions on the answer are kept).
 */
function adapt(collection: { item: Item[] }): { item: Item[] } {
  const rewrite = (items: Item[]): Item[] =>
    items
      .filter((item) => item.name !== 'Get Token')
      .map((item) => {
        if (item.item) return { ...item, item: rewrite(item.item) };
        const url = item.request?.url;
        if (url && typeof url === 'object' && url.raw.endsWith('/serviceConfiguration')) {
          url.raw = url.raw.replace(/\/serviceConfiguration$/, '/ServiceProviderConfig');
          url.path = url.path?.map((p) => (p === 'serviceConfiguration' ? 'ServiceProviderConfig' : p));
        }
        return item;
      });
  return { ...collection, item: rewrite(collection.item) };
}

interface NewmanSummary {
  run: {
    failures: { source?: { name?: string }; error?: { message?: string } }[];
    stats: { requests: { total: number }; assertions: { total: number; failed: number } };
  };
}

/** newman ships no type declarations; this is the part of its API the test uses. */
const newman = createRequire(import.meta.url)('newman') as {
  run(options: Record<string, unknown>, done: (error: Error | null, summary: NewmanSummary) => void): void;
};

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe.skipIf(!hasCollection)("Microsoft's SCIM reference Postman collection under newman", () => {
  it('passes every assertion outside the token endpoint folder', async () => {
    running = await startTestServer();
    const collection = adapt(JSON.parse(readFileSync(collectionPath, 'utf8')));
    const summary = await new Promise<NewmanSummary>((resolve, reject) => {
      newman.run(
        {
          collection,
          envVar: [
            { key: 'Protocol', value: 'http' },
            { key: 'Server', value: '127.0.0.1' },
            { key: 'Port', value: `:${running!.server.port}` },
            { key: 'Api', value: 'scim/v2' },
            { key: 'token', value: running!.server.token },
          ],
          reporters: [],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
    const failures = summary.run.failures.map((f) => `${f.source?.name}: ${f.error?.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(70);
    console.info(`newman: ${summary.run.stats.requests.total} requests, ${summary.run.stats.assertions.total} assertions, ${summary.run.stats.assertions.failed} failed`);
  });
});
