/**
 * Microsoft Graph's throttling budget for directory reads, in one place. Source: Microsoft Learn, "Microsoft Graph
 * service-specific throttling limits", section "Identity and access service limits": a token bucket of resource units
 * (RU) per application+tenant pair, 3,500 / 5,000 / 8,000 RU per 10 seconds for a tenant under 50 / 50 to 500 /
 * above 500 users; each request costs its path's base cost, minus 1 with $select, plus 1 with $expand, minus 1 with a
 * $top under 20, and never less than 1.
 */

const WINDOW_MS = 10_000;

/** The application+tenant pair's RU per 10 s by tenant size; a tenant of unknown size gets the smallest. */
export function identityReadBudget(userCount: number | null): { calls: number; windowMs: number } {
  if (userCount === null || userCount < 50) return { calls: 3_500, windowMs: WINDOW_MS };
  if (userCount <= 500) return { calls: 5_000, windowMs: WINDOW_MS };
  return { calls: 8_000, windowMs: WINDOW_MS };
}

/** Base costs the article lists for the paths this reader calls; every other identity path costs 1. */
const BASE_COSTS: readonly { method: string; path: RegExp; cost: number }[] = [
  { method: 'GET', path: /^\/users$/, cost: 2 },
  { method: 'GET', path: /^\/groups\/[^/]+\/members(\/[^/]+)?$/, cost: 3 },
  { method: 'GET', path: /^\/groups\/[^/]+\/transitiveMembers(\/[^/]+)?$/, cost: 5 },
  { method: 'GET', path: /^\/applications$/, cost: 2 },
  { method: 'GET', path: /^\/applications\/[^/]+\/extensionProperties$/, cost: 2 },
  { method: 'POST', path: /^\/directoryObjects\/getByIds$/, cost: 5 },
];

/** The resource units one request costs: `path` relative to /v1.0 (or a nextLink), with its query. */
export function identityRequestCost(method: string, path: string): number {
  const url = new URL(path, 'https://graph.invalid/v1.0/');
  const pathname = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, '');
  const base = BASE_COSTS.find((c) => c.method === method && c.path.test(pathname))?.cost ?? 1;
  const query = url.searchParams;
  const top = query.get('$top');
  const cost =
    base - (query.has('$select') ? 1 : 0) + (query.has('$expand') ? 1 : 0) - (top !== null && Number(top) < 20 ? 1 : 0);
  return Math.max(1, cost);
}
