import type { MethodOutput } from '../../../shared/api.ts';

/** The app's mock server, running on loopback: the default target of the Provisioning screen's tests. */
export const mockStatus: MethodOutput<'mockServer.status'> = {
  running: true,
  url: 'http://127.0.0.1:4100/scim/v2',
  token: 'tok',
  host: '127.0.0.1',
  port: 4100,
  vendorId: 'generic',
  vendorName: 'Generic SCIM',
  mode: 'entra',
  latencyMs: 0,
  failureRate: 0,
  startedAt: '2026-01-01T00:00:00.000Z',
  users: 0,
  groups: 0,
  vendors: [{ id: 'generic', name: 'Generic SCIM' }],
};
