import { z } from 'zod';
import { countLimit, empty, id, JsonObject, method, page, type MethodSpec } from './define.ts';

/** The app itself and the Tenant screen: snapshots, users, their raw Graph JSON and source objects. */
export const AppInfo = z.object({
  version: z.string(),
  /** which door the renderer came through */
  mode: z.enum(['electron', 'browser']),
  workspacePath: z.string(),
  projectId: id,
  projectName: z.string(),
});

export const SnapshotSummary = z.object({
  id,
  projectId: id,
  label: z.string(),
  /** where the data came from: 'demo', 'graph', 'csv', 'json' */
  origin: z.enum(['demo', 'graph', 'csv', 'json']),
  tenantName: z.string().nullable(),
  fetchedAt: z.string(),
  userCount: z.number().int(),
  groupCount: z.number().int(),
  /** the snapshot this one was refreshed from with Graph delta (it may have been deleted since) */
  parentId: id.nullable().optional(),
  /** it keeps Graph's deltaLinks, so "Refresh" can read only what changed since */
  refreshable: z.boolean().optional(),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummary>;

export const UserRow = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  displayName: z.string().nullable(),
  mail: z.string().nullable(),
  department: z.string().nullable(),
  accountEnabled: z.boolean().nullable(),
  userType: z.string().nullable(),
});
export type UserRow = z.infer<typeof UserRow>;

export const UserDetail = z.object({
  id: z.string(),
  /** the user exactly as Microsoft Graph returned it */
  raw: JsonObject,
  /** the same user under Entra's provisioning attribute names (shared/directory) */
  source: JsonObject,
});
export type UserDetail = z.infer<typeof UserDetail>;

/** The Tenant table's sortable columns; the default order is the snapshot's (the order Graph returned the users in). */
export const TenantUserSort = z
  .object({
    by: z.enum(['displayName', 'userPrincipalName', 'department']),
    direction: z.enum(['ascending', 'descending']),
  })
  .strict();
export type TenantUserSort = z.infer<typeof TenantUserSort>;
/** The portal's user filters: Account enabled (Yes / No) and User type (Member / Guest). */
export const TenantUserFilter = z.enum(['enabled', 'disabled', 'member', 'guest']);
export type TenantUserFilter = z.infer<typeof TenantUserFilter>;
/** What narrows and orders the Tenant table: a word search, filters (all must hold) and a sort. */
export interface TenantUserView {
  search?: string;
  filters?: readonly TenantUserFilter[];
  sort?: TenantUserSort | undefined;
  /** count at most this many matches (and the page asked for), else answer `counting` (Page) */
  countLimit?: number | undefined;
}

export const tenantMethods = {
  'app.info': method('Describe the running app and its workspace', empty, AppInfo),
  'tenant.listSnapshots': method('List the directory snapshots of the current project', empty, z.array(SnapshotSummary)),
  'tenant.listUsers': method(
    'Page through a snapshot’s users: a search for the start of words in name, UPN, mail and department, filters and a sort',
    z
      .object({
        snapshotId: id,
        search: z.string().max(200).default(''),
        filters: z.array(TenantUserFilter).max(4).default([]),
        sort: TenantUserSort.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        countLimit,
      })
      .strict(),
    page(UserRow),
  ),
  'tenant.getUser': method(
    'One user of a snapshot: raw Graph JSON beside the derived source object',
    z.object({ snapshotId: id, userId: z.string().min(1).max(200) }).strict(),
    UserDetail,
  ),
  'tenant.deleteSnapshot': method(
    'Delete a snapshot and everything derived from it',
    z.object({ snapshotId: id }).strict(),
    z.object({ deleted: z.boolean() }),
  ),
} satisfies Record<string, MethodSpec>;

