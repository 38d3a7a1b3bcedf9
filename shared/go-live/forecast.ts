/**
 * A forecast of the first (initial) cycle after go-live. Microsoft Learn "How Application Provisioning works",
 * "Initial cycle": about 0.01 to 0.08 minutes per object, counting assigned users, groups and group memberships;
 * incremental cycles then run about every 40 minutes. Outbound provisioning skips null values, so an attribute
 * Entra once set is never cleared by a cycle (Microsoft Learn "Clear attribute values during provisioning").
 */
import { mappingTypeOf, type MappingSet } from '../mapping/model.ts';
import { allObjectMappings } from './schema-diff.ts';

const MINUTES_PER_OBJECT = { low: 0.01, high: 0.08 } as const;
const INCREMENTAL_INTERVAL_MINUTES = 40;

/** A vendor's documented limits, from its profile's `rateLimits` (each with its source there). */
export interface VendorRateLimits {
  requestsPerMinute?: number | null;
  createsPerMinute?: number | null;
  requestsPerSecond?: number | null;
}

interface ForecastInput {
  users: number;
  groups: number;
  memberships: number;
  /** requests the vendor will receive, by kind ("GET", "POST", "PATCH", "DELETE") */
  requests: Record<string, number>;
  creates: number;
  set: MappingSet;
  rateLimits?: VendorRateLimits | null;
}

interface RateCheck {
  limit: 'requests per minute' | 'creates per minute';
  allowed: number;
  /** the rate Entra reaches at its fastest documented pace */
  atFastestPace: number;
  exceeded: boolean;
  /** how long the vendor needs to take them all at its limit, and how much longer that is than the fastest pace */
  minutesAtLimit: number;
  extraMinutes: number;
}

export interface Forecast {
  objects: number;
  users: number;
  groups: number;
  memberships: number;
  minutes: { low: number; high: number };
  requests: Record<string, number>;
  totalRequests: number;
  rateChecks: RateCheck[];
  incrementalIntervalMinutes: number;
  /** target attributes a later cycle never clears once set (the source turning empty sends nothing) */
  neverCleared: string[];
}

const round = (value: number) => Math.round(value * 100) / 100;

function rateCheck(limit: RateCheck['limit'], allowed: number, count: number, fastestMinutes: number): RateCheck {
  const atFastestPace = fastestMinutes > 0 ? count / fastestMinutes : 0;
  const minutesAtLimit = count / allowed;
  return {
    limit,
    allowed,
    atFastestPace: round(atFastestPace),
    exceeded: atFastestPace > allowed,
    minutesAtLimit: round(minutesAtLimit),
    extraMinutes: round(Math.max(0, minutesAtLimit - fastestMinutes)),
  };
}

/** Rows whose value can become empty: a constant never does, and a create-only row is never updated anyway. */
function neverClearedAttributes(set: MappingSet): string[] {
  const names = new Set<string>();
  for (const objectMapping of allObjectMappings(set)) {
    if (objectMapping.enabled === false) continue;
    for (const row of objectMapping.attributeMappings) {
      const type = mappingTypeOf(row);
      if ((type === 'Direct' || type === 'Expression') && row.flowType !== 'ObjectAddOnly') names.add(row.targetAttributeName);
    }
  }
  return [...names];
}

export function forecastFirstCycle(input: ForecastInput): Forecast {
  const objects = input.users + input.groups + input.memberships;
  const minutes = { low: round(objects * MINUTES_PER_OBJECT.low), high: round(objects * MINUTES_PER_OBJECT.high) };
  const totalRequests = Object.values(input.requests).reduce((sum, n) => sum + n, 0);
  const rateChecks: RateCheck[] = [];
  const limits = input.rateLimits ?? {};
  const perMinute = limits.requestsPerMinute ?? (limits.requestsPerSecond ? limits.requestsPerSecond * 60 : null);
  if (perMinute) rateChecks.push(rateCheck('requests per minute', perMinute, totalRequests, minutes.low));
  if (limits.createsPerMinute) rateChecks.push(rateCheck('creates per minute', limits.createsPerMinute, input.creates, minutes.low));
  return {
    objects,
    users: input.users,
    groups: input.groups,
    memberships: input.memberships,
    minutes,
    requests: input.requests,
    totalRequests,
    rateChecks,
    incrementalIntervalMinutes: INCREMENTAL_INTERVAL_MINUTES,
    neverCleared: neverClearedAttributes(input.set),
  };
}

/** An object a cycle processes, as the plan and the preview both describe it. */
interface CycleObject {
  action: string;
  requests: readonly { method: string }[];
  /** for a group: its direct members */
  members?: number;
}

/** A cycle's forecast counted object by object, so a plan of a million users is never held to forecast it. */
export class CycleForecastTally {
  private users = 0;
  private groups = 0;
  private memberships = 0;
  private creates = 0;
  private readonly requests: Record<string, number> = {};

  /** Users and groups not skipped are in scope (with a group's direct members); every request counts. */
  add(objectType: 'User' | 'Group', object: CycleObject): void {
    for (const request of object.requests) this.countRequests(request.method, 1);
    this.countObjects(objectType, object.action, 1, object.members ?? 0);
  }

  /** Users already counted by a preview's pass (users by action, requests by method): the same rule as `add`. */
  addUsers(byAction: Readonly<Record<string, number>>, requests: Readonly<Record<string, number>>): void {
    for (const [method, count] of Object.entries(requests)) this.countRequests(method, count);
    for (const [action, count] of Object.entries(byAction)) this.countObjects('User', action, count, 0);
  }

  private countRequests(method: string, count: number): void {
    this.requests[method] = (this.requests[method] ?? 0) + count;
  }

  private countObjects(objectType: 'User' | 'Group', action: string, count: number, members: number): void {
    if (action === 'create') this.creates += count;
    if (action === 'skip') return;
    if (objectType === 'User') this.users += count;
    else {
      this.groups += count;
      this.memberships += members;
    }
  }

  forecast(set: MappingSet, rateLimits: VendorRateLimits | null = null): Forecast {
    return forecastFirstCycle({
      users: this.users,
      groups: this.groups,
      memberships: this.memberships,
      requests: { ...this.requests },
      creates: this.creates,
      set,
      ...(rateLimits ? { rateLimits } : {}),
    });
  }
}

/** The forecast in a few lines, for the CLI and reports. */
export function describeForecast(forecast: Forecast): string[] {
  const kinds = Object.entries(forecast.requests)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const lines = [
    `${forecast.objects} objects in scope (${forecast.users} users, ${forecast.groups} groups, ${forecast.memberships} memberships): ` +
      `the first cycle takes about ${forecast.minutes.low}–${forecast.minutes.high} minutes (0.01–0.08 minutes per object).`,
    `The vendor receives about ${forecast.totalRequests} requests${kinds ? ` (${kinds})` : ''}.`,
  ];
  for (const check of forecast.rateChecks) {
    lines.push(
      check.exceeded
        ? `Above the vendor's ${check.allowed} ${check.limit}: Entra may reach ${check.atFastestPace}; at the limit the vendor needs ${check.minutesAtLimit} minutes, ${check.extraMinutes} more than the fastest pace, and throttles the rest.`
        : `Within the vendor's ${check.allowed} ${check.limit} (at most ${check.atFastestPace} at Entra's fastest pace).`,
    );
  }
  lines.push(`After it, incremental cycles run about every ${forecast.incrementalIntervalMinutes} minutes.`);
  if (forecast.neverCleared.length > 0)
    lines.push(`Once set, Entra never clears these when the source becomes empty (it skips nulls): ${forecast.neverCleared.join(', ')}.`);
  return lines;
}
