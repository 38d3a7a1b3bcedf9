import { z } from 'zod';

/**
 * The one contract between the renderer and the backend (architecture.md, "One API, three doors").
 * Every method is declared once with zod schemas for its input and output; the Electron IPC adapter,
 * the browser-mode bridge and the preload's `window.api` are all built from this table.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** what the method does, for error messages and docs */
  summary: string;
}

function method<I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): MethodSpec<I, O> {
  return { summary, input, output };
}

const empty = z.object({}).strict();
const id = z.number().int().positive();

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

const JsonObject = z.record(z.string(), z.unknown());

export const UserDetail = z.object({
  id: z.string(),
  /** the user exactly as Microsoft Graph returned it */
  raw: JsonObject,
  /** the same user under Entra's provisioning attribute names (shared/directory) */
  source: JsonObject,
});
export type UserDetail = z.infer<typeof UserDetail>;

export const methods = {
  'app.info': method('Describe the running app and its workspace', empty, AppInfo),
  'tenant.listSnapshots': method('List the directory snapshots of the current project', empty, z.array(SnapshotSummary)),
  'tenant.listUsers': method(
    'Page through a snapshot’s users, optionally filtered by a search text',
    z
      .object({
        snapshotId: id,
        search: z.string().max(200).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.object({ total: z.number().int(), offset: z.number().int(), users: z.array(UserRow) }),
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

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export const methodNames = Object.keys(methods) as MethodName[];

/** The renderer's view of the backend: one async function per method. */
export type Api = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

/** The backend's side: one handler per method, receiving validated input. */
export type Handlers = { [M in MethodName]: (input: z.output<Methods[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M> };

/** Events pushed from backend to renderer (IPC in Electron, server-sent events in browser mode). */
export const events = {
  progress: z.object({
    jobId: z.string(),
    label: z.string(),
    done: z.number(),
    total: z.number().nullable(),
  }),
  'workspace.changed': z.object({ reason: z.string() }),
} satisfies Record<string, z.ZodType>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/**
 * What electron/preload.ts exposes as `window.api`: one function per method, built from `methods`
 * (no generic invoke), each answering the envelope; and a subscription to backend events.
 */
export type PreloadApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<Envelope<MethodOutput<M>>> };
export interface PreloadEvents {
  on(listener: (name: EventName, payload: unknown) => void): () => void;
}
/** IPC channel names: one per method, so main can register exactly the declared ones. */
export const ipcChannel = (name: MethodName) => `api:${name}`;
export const IPC_EVENT_CHANNEL = 'api-event';

/** Every answer crossing a door has this envelope (conventions.md: Signal's IPC envelope). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export interface ApiError {
  /** machine-readable: 'invalid-input', 'not-found', 'workspace', 'internal' ... */
  code: string;
  /** says what went wrong and what to do */
  message: string;
}

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Describes zod issues as one admin-readable line naming each bad field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
