import type { CliCommand } from './command.ts';

/**
 * Every subcommand, in the order `scim-planner --help` lists them. Each lives in its own module
 * under electron/cli/ and is imported lazily, so a command's heavy dependencies load only for it.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  fetch: async () => (await import('./fetch.ts')).command,
  import: async () => (await import('./import.ts')).command,
  snapshots: async () => (await import('./snapshots.ts')).command,
  eval: async () => (await import('./eval.ts')).command,
  preview: async () => (await import('./preview.ts')).command,
  validate: async () => (await import('./validate.ts')).command,
  vendors: async () => (await import('./vendors.ts')).command,
  'mock-server': async () => (await import('./mock-server.ts')).command,
  provision: async () => (await import('./provision.ts')).command,
  report: async () => (await import('./report.ts')).command,
  verify: async () => (await import('./verify.ts')).command,
  logs: async () => (await import('./logs.ts')).command,
  job: async () => (await import('./job.ts')).command,
  'check-endpoint': async () => (await import('./check-endpoint.ts')).command,
  discover: async () => (await import('./discover.ts')).command,
  apply: async () => (await import('./apply.ts')).command,
  rollback: async () => (await import('./rollback.ts')).command,
  canary: async () => (await import('./canary.ts')).command,
};
