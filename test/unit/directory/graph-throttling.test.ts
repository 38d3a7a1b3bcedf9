import { describe, expect, it } from 'vitest';
import { identityReadBudget, identityRequestCost } from '../../../electron/backend/directory/graph-throttling.ts';

describe("Graph's identity and access throttling budget", () => {
  it('gives the application+tenant pair 3,500 / 5,000 / 8,000 resource units per 10 s by tenant size', () => {
    expect(identityReadBudget(null)).toEqual({ calls: 3_500, windowMs: 10_000 });
    expect(identityReadBudget(49)).toEqual({ calls: 3_500, windowMs: 10_000 });
    expect(identityReadBudget(50)).toEqual({ calls: 5_000, windowMs: 10_000 });
    expect(identityReadBudget(500)).toEqual({ calls: 5_000, windowMs: 10_000 });
    expect(identityReadBudget(501)).toEqual({ calls: 8_000, windowMs: 10_000 });
  });

  it('costs the reads the fetch makes as the article lists them, with $select, $expand and $top applied', () => {
    // users: base 2, $select -1, $expand +1
    expect(identityRequestCost('GET', '/users?$select=id,mail&$expand=manager($select=id)&$top=999')).toBe(2);
    // a nextLink costs what its query costs
    expect(identityRequestCost('GET', 'https://graph.microsoft.com/v1.0/users?$select=id&$expand=manager&$top=999&$skiptoken=x')).toBe(2);
    expect(identityRequestCost('GET', '/users/$count')).toBe(1);
    // group members: base 3, $select -1
    expect(identityRequestCost('GET', '/groups/g1/members?$select=id&$top=999')).toBe(2);
    expect(identityRequestCost('GET', '/groups/g1/members?$top=5')).toBe(2);
    // groups: not listed (1), $select -1, never below 1
    expect(identityRequestCost('GET', '/groups?$select=id,displayName&$top=999')).toBe(1);
    expect(identityRequestCost('POST', '/directoryObjects/getAvailableExtensionProperties')).toBe(1);
    expect(identityRequestCost('POST', '/directoryObjects/getByIds')).toBe(5);
  });
});
