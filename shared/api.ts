import { z } from 'zod';
import type { MethodSpec } from './api/define.ts';
import { tenantMethods } from './api/tenant.ts';
import { reportsMethods } from './api/reports.ts';
import { previewEvents, previewMethods } from './api/preview.ts';
import { mockServerEvents, mockServerMethods } from './api/mock-server.ts';
import { directoryEvents, directoryMethods } from './api/directory.ts';
import { mappingsMethods } from './api/mappings.ts';
import { provisioningEvents, provisioningMethods } from './api/provisioning.ts';
import { synchronizationEvents, synchronizationMethods } from './api/synchronization.ts';
import { endpointCheckEvents, endpointCheckMethods } from './api/endpoint-check.ts';
import { projectMethods } from './api/project.ts';
import { goLiveMethods } from './api/go-live.ts';
import { canaryMethods } from './api/canary.ts';
import type { ApiError } from './api/errors.ts';
import type { ImportResult } from './api/directory.ts';

export type { MethodSpec, Page } from './api/define.ts';
export { MappingSet } from './api/define.ts';
export * from './api/tenant.ts';
export * from './api/reports.ts';
export * from './api/preview.ts';
export * from './api/mock-server.ts';
export * from './api/directory.ts';
export * from './api/mappings.ts';
export * from './api/synchronization.ts';
export * from './api/project.ts';
export * from './api/errors.ts';
export * from './api/endpoint-check.ts';
export * from './api/go-live.ts';
export * from './api/canary.ts';

/**
 * The one contract between the renderer and the backend (docs/architecture.md, "One API, three doors"). Every method is
 * declared once with zod schemas for its input and output (in shared/api/<area>.ts); the Electron IPC adapter, the
 * browser-mode bridge and the preload's `window.api` are all built from this table.
 */
export const methods = {
  ...tenantMethods,
  ...reportsMethods,
  ...previewMethods,
  ...mockServerMethods,
  ...directoryMethods,
  ...mappingsMethods,
  ...provisioningMethods,
  ...synchronizationMethods,
  ...endpointCheckMethods,
  ...projectMethods,
  ...goLiveMethods,
  ...canaryMethods,
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
/** The handlers of one area's methods (electron/backend/handlers/<area>.ts). */
export type HandlersFor<T extends Record<string, MethodSpec>> = Pick<Handlers, keyof T & MethodName>;

/**
 * What changed in which workspace file, as data: `opened` when File > Open / New / Save As switched the
 * file, otherwise what was added to or removed from it (a snapshot, a mapping revision) or which vendor the project
 * is now planned for.
 */
const workspaceChange = z.object({
  change: z.enum(['opened', 'snapshot-added', 'snapshot-deleted', 'mapping-revision-saved', 'vendor-changed']),
  workspacePath: z.string(),
  snapshotId: z.number().int().optional(),
  revision: z.number().int().optional(),
  vendorId: z.string().optional(),
});
export type WorkspaceChange = z.infer<typeof workspaceChange>;

/** Events pushed from backend to renderer (IPC in Electron, server-sent events in browser mode). */
export const events = {
  progress: z.object({
    jobId: z.string(),
    label: z.string(),
    done: z.number(),
    total: z.number().nullable(),
  }),
  'workspace.changed': workspaceChange,
  ...previewEvents,
  ...mockServerEvents,
  ...directoryEvents,
  ...provisioningEvents,
  ...endpointCheckEvents,
  ...synchronizationEvents,
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
/**
 * Electron's import of a users file (`window.usersFile`): the main process shows the native file dialog and the backend
 * reads the chosen path as a stream, so neither the path nor the file's text passes through the renderer.
 * `null`: the dialog was cancelled.
 */
export interface PreloadUsersFile {
  chooseAndImport(): Promise<Envelope<ImportResult> | null>;
}
export const IPC_USERS_FILE_CHANNEL = 'users-file:choose-and-import';
/** IPC channel names: one per method, so main can register exactly the declared ones. */
export const ipcChannel = (name: MethodName) => `api:${name}`;
export const IPC_EVENT_CHANNEL = 'api-event';

/** Every answer crossing a door has this envelope (one shape for every door, so a caller handles errors once). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Describes zod issues as one admin-readable line naming each bad field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
