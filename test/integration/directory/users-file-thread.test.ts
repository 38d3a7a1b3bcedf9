import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importUsersFile } from '../../../electron/backend/directory/snapshot.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { CsvImportError, JsonImportError, type UsersFileImportError } from '../../../shared/directory/import-problems.ts';
import { UsersFileReader } from '../../../shared/directory/users-file.ts';
import { tempDir } from '../../support/temp.ts';

/** What the reader throws for the file read in this thread: the error the import must rethrow from its worker. */
function readHere(fileName: string, text: string): UsersFileImportError {
  const reader = new UsersFileReader(fileName);
  reader.push(text);
  try {
    reader.end();
  } catch (error) {
    return error as UsersFileImportError;
  }
  throw new Error(`${fileName} was expected to be refused`);
}

/** Chunks of a text, counting how many the import asked for. */
function counted(text: string, size: number): { chunks: Iterable<string>; pulled(): number; total: number } {
  let pulled = 0;
  const total = Math.ceil(text.length / size);
  return {
    chunks: (function* () {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield text.slice(i * size, (i + 1) * size);
      }
    })(),
    pulled: () => pulled,
    total,
  };
}

/**
 * The import converts a file of more than one chunk in a worker thread (users-file-thread.ts): what it throws, and when
 * it stops reading, must be what reading the file in the importing thread gives, and a refused file leaves no snapshot.
 * (users-file-snapshot.test.ts checks the rows both ways: its whole-text imports are one chunk, the others many.)
 */
describe('a users file read in the import’s worker thread', () => {
  const dir = tempDir();
  const store = new WorkspaceStore(join(dir.path, 'w.scimplan'));
  const project = store.createProject('thread');
  afterAll(() => {
    store.close();
    dir.cleanup();
  });

  const snapshotCount = () => store.listSnapshots(project.id).length;
  const importing = (fileName: string, chunks: Iterable<string>) => () =>
    importUsersFile(store, { projectId: project.id, label: fileName, fileName, chunks });
  const thrownBy = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected the import to throw');
  };

  it('rethrows a refused JSON file as the same JsonImportError: its class, problems by line and column, and wording', () => {
    const text = '{"value":[\n{"id":"1","userPrincipalName":"a@contoso.com"},\n{"id":"2","userPrincipalName":"b@contoso.com",}\n]}';
    const before = snapshotCount();
    const error = thrownBy(importing('users.json', counted(text, 7).chunks));
    const expected = readHere('users.json', text);
    expect(error).toBeInstanceOf(JsonImportError);
    expect(error).toMatchObject({ name: expected.name, message: expected.message, issues: expected.issues, stoppedAtLine: expected.stoppedAtLine });
    expect((error as JsonImportError).issues[0]).toMatchObject({ line: 3 });
    expect(snapshotCount()).toBe(before);
  });

  it('keeps the wording of a file that is neither JSON nor CSV (a NeitherUsersFileError there, a CsvImportError here)', () => {
    const text = '<html><body>Sign in</body></html>\n';
    const error = thrownBy(importing('export.txt', [text.slice(0, 9), text.slice(9)]));
    const expected = readHere('export.txt', text);
    expect(expected.message).toMatch(/^The file is neither Graph users JSON/);
    expect(error).toBeInstanceOf(CsvImportError);
    expect(error).toMatchObject({ name: expected.name, message: expected.message, issues: expected.issues });
  });

  it('stops asking for chunks once the problems found settle the outcome', () => {
    const header = 'userPrincipalName,displayName\n';
    const text = header + Array.from({ length: 20_000 }, (_, i) => `not-an-upn-${i},"unclosed\n`).join('');
    const file = counted(text, 4096);
    const error = thrownBy(importing('users.csv', file.chunks));
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).stoppedAtLine).not.toBeNull();
    expect(file.pulled()).toBeLessThan(file.total / 2);
  });

  it('refuses a file of only whitespace as the reader does (the format is known only at its end)', () => {
    const error = thrownBy(importing('users.json', ['  ', ' ', '\n']));
    expect(error).toMatchObject({ name: readHere('users.json', '   \n').name, message: readHere('users.json', '   \n').message });
  });
});
