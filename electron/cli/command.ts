import type { Readable } from 'node:stream';

/** Exit codes shared by every subcommand (issue: CLI): 0 success, 1 problems found, 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  stdin: Readable;
  /** the workspace file given by --workspace, or the app's default workspace */
  env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  name: string;
  /** one line for `scim-planner --help` */
  summary: string;
  /** full usage text for `scim-planner <name> --help` */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Thrown by argument parsing; the dispatcher prints it with the usage and exits 2. */
export class UsageError extends Error {}
