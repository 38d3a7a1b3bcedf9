import type { Readable } from 'node:stream';

/** Exit codes shared by every subcommand (issue: CLI): 0 success, 1 problems found, 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/**
 * The exit code of a check that counted errors, saying on stderr why it is 1: a script sees the code, an admin
 * at a terminal reads the reason (a bare exit 1 after a table of results looks like a crash).
 */
export function exitForErrors(io: CliIO, errors: number, what: string): number {
  if (errors === 0) return EXIT_OK;
  io.err(`Exit code 1: ${what} found ${errors} error${errors === 1 ? '' : 's'} (0 means none, 2 bad input).`);
  return EXIT_PROBLEMS;
}

export interface CliIO {
  out(text: string): void;
  /**
   * Writes text as is and resolves when the output can take more (a pipe's back-pressure), for output streamed in
   * pages; without it, streamed output goes through `out`.
   */
  write?(text: string): Promise<void>;
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
