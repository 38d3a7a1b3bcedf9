import { z } from 'zod';
import { empty, JsonObject, method, page, type MethodSpec } from './define.ts';

/**
 * The Mock server screen's contract (issue 6): the app runs the mock SCIM server inside the backend on the
 * workspace database, so its users, groups and request log are part of the workspace.
 */
export const MockServerMode = z.enum(['entra', 'strict']);
export type MockServerMode = z.infer<typeof MockServerMode>;

export const MockServerStatus = z.object({
  running: z.boolean(),
  /** the Tenant URL to paste into Entra; null while stopped */
  url: z.string().nullable(),
  /** the Secret Token; kept in the workspace so it stays valid across restarts (null before the first start) */
  token: z.string().nullable(),
  host: z.string(),
  /** the port listened on, or the one last asked for (0 = any free port) */
  port: z.number().int(),
  vendorId: z.string(),
  vendorName: z.string(),
  mode: MockServerMode,
  latencyMs: z.number().int(),
  failureRate: z.number(),
  startedAt: z.string().nullable(),
  /** what the vendor holds now */
  users: z.number().int(),
  groups: z.number().int(),
  /** the vendors the server can emulate */
  vendors: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type MockServerStatus = z.infer<typeof MockServerStatus>;

export const MockRequestSummary = z.object({
  seq: z.number().int(),
  at: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  durationMs: z.number(),
  /** the rule that decided the outcome (`vendor.required:name.givenName`, `auth.bearer`…) */
  rule: z.string().nullable(),
});
export type MockRequestSummary = z.infer<typeof MockRequestSummary>;

export const MockRequestDetail = MockRequestSummary.extend({
  requestBody: z.string().nullable(),
  responseBody: z.string().nullable(),
});
export type MockRequestDetail = z.infer<typeof MockRequestDetail>;

export const MockResourceRow = z.object({
  id: z.string(),
  /** userName for users, displayName for groups */
  name: z.string(),
  externalId: z.string().nullable(),
  /** users: active; groups: null */
  active: z.boolean().nullable(),
  /** groups: member count; users: null */
  members: z.number().int().nullable(),
  lastModified: z.string().nullable(),
  /** the resource exactly as the vendor holds it */
  resource: JsonObject,
});
export type MockResourceRow = z.infer<typeof MockResourceRow>;

const pageQuery = {
  /** text searched in the stored resource (ignoring case) */
  search: z.string().max(200).default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
};
const resourcePage = page(MockResourceRow);

export const mockServerMethods = {
  'mockServer.status': method('Whether the mock SCIM server runs, its Tenant URL and Secret Token, and what it holds', empty, MockServerStatus),
  'mockServer.start': method(
    'Start the mock SCIM server on this machine, emulating a vendor',
    z
      .object({
        /** 0 = any free port */
        port: z.number().int().min(0).max(65535).default(0),
        /** omitted = the project's vendor */
        vendorId: z.string().min(1).max(100).optional(),
        strict: z.boolean().default(false),
        latencyMs: z.number().int().min(0).max(60_000).default(0),
        /** a probability from 0 to 1; admins type and read it as a percentage (shared/api/failure-rate.ts) */
        failureRate: z.number().min(0).max(1).default(0),
        host: z.string().min(1).max(255).default('127.0.0.1'),
      })
      .strict(),
    MockServerStatus,
  ),
  'mockServer.stop': method('Stop the mock SCIM server (its data stays in the workspace)', empty, MockServerStatus),
  'mockServer.reset': method(
    'Delete every user and group the mock server holds (the request log stays)',
    empty,
    z.object({ deletedUsers: z.number().int(), deletedGroups: z.number().int() }),
  ),
  'mockServer.requestLog': method(
    'Page through the mock server’s request log, newest first, filtered by text, status and method',
    z
      .object({
        search: z.string().max(200).default(''),
        status: z.number().int().min(100).max(599).optional(),
        method: z.string().max(10).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    page(MockRequestSummary),
  ),
  'mockServer.requestDetail': method(
    'One logged request with its bodies and the rule that decided it',
    z.object({ seq: z.number().int().min(1) }).strict(),
    MockRequestDetail,
  ),
  'mockServer.listUsers': method('Page through the users the mock server holds', z.object(pageQuery).strict(), resourcePage),
  'mockServer.listGroups': method('Page through the groups the mock server holds', z.object(pageQuery).strict(), resourcePage),
} satisfies Record<string, MethodSpec>;

export const mockServerEvents = {
  /** every request the mock server answered, as it happens */
  'mockServer.request': MockRequestSummary,
};
