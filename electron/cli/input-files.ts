import { readFile } from 'node:fs/promises';
import { UsageError } from './command.ts';

/**
 * Reading the files a command is given. Every failure is a UsageError (exit 2) that names the
 * file, what it was for, and what was wrong with it.
 */
export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} file "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function parseJson(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The ${what} file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
}

export async function readJson(path: string, what: string): Promise<unknown> {
  return parseJson(await readText(path, what), path, what);
}
