import { afterEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api.ts';
import { PlanView } from '../../../renderer/provisioning/PlanView.tsx';
import { cleanup, render } from '../preview/render.tsx';

type Plan = MethodOutput<'provisioning.plan'>;

const plan = (forecast: Plan['forecast']): Plan => ({
  kind: 'initial',
  targetUrl: 'https://vendor.example/scim/v2',
  loopback: false,
  dialect: 'default',
  counts: { create: 900, update: 0, deactivate: 0, delete: 0, none: 0, skip: 0, error: 0 },
  objects: [],
  totalObjects: 900,
  quarantine: null,
  forecast,
});

afterEach(cleanup);

describe('the dry run of an initial cycle', () => {
  it('shows the first cycle forecast: duration range, requests, the vendor limit it exceeds, the 40-minute interval', async () => {
    const root = await render(
      <PlanView
        plan={plan({
          objects: 1000,
          users: 900,
          groups: 20,
          memberships: 80,
          minutes: { low: 10, high: 80 },
          requests: { GET: 900, POST: 900 },
          totalRequests: 1800,
          rateChecks: [{ limit: 'requests per minute', allowed: 60, atFastestPace: 180, exceeded: true, minutesAtLimit: 30, extraMinutes: 20 }],
          incrementalIntervalMinutes: 40,
          neverCleared: ['displayName'],
        })}
        busy={false}
        onProvision={() => {}}
        onDiscard={() => {}}
      />,
    );
    const section = root.querySelector('.prov-forecast')!;
    expect(section.querySelector('h3')!.textContent).toBe('First cycle forecast');
    const text = section.textContent!;
    expect(text).toContain('1000 objects in scope (900 users, 20 groups, 80 memberships): the first cycle takes about 10–80 minutes');
    expect(text).toContain('about 1800 requests (900 GET, 900 POST)');
    expect(text).toContain("Above the vendor's 60 requests per minute");
    expect(text).toContain('every 40 minutes');
    expect(text).toContain('never clears these when the source becomes empty (it skips nulls): displayName');
    expect(section.querySelector('.warning')).not.toBeNull();
  });

  it('shows no forecast for a plan without one', async () => {
    const root = await render(<PlanView plan={plan(null)} busy={false} onProvision={() => {}} onDiscard={() => {}} />);
    expect(root.querySelector('.prov-forecast')).toBeNull();
  });
});
