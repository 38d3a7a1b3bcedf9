import type { CliCommand } from './command.ts';

/**
 * Every subcommand, in the order `scim-planner --help` lists them. Each lives in its own module
 * under electron/cli/ and is imported lazily, so a command's heavy dependencies load only for it.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  snapshots: async () => (await import('./snapshots.ts')).command,
};
