/**
 * Users files generated at test time, of any size, written in batches so a million users never sit in memory:
 * the demo tenant's users replicated with fresh ids and UPNs (managers point inside each copy).
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { GraphUser } from '../../shared/directory/graph-to-source.ts';

const demoUsers = (): GraphUser[] =>
  (JSON.parse(readFileSync(new URL('../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;

/** The demo tenant's users, copied until there are `count`. */
export function* demoUserCopies(count: number): Generator<GraphUser> {
  const demo = demoUsers();
  for (let i = 0; i < count; i++) {
    const user = demo[i % demo.length]!;
    const copy = Math.floor(i / demo.length);
    const id = (raw: string) => `${raw.slice(0, 24)}${String(copy).padStart(12, '0')}`;
    yield {
      ...user,
      id: id(user.id),
      userPrincipalName: user.userPrincipalName?.replace('@', `.${copy}@`) ?? null,
      manager: user.manager ? { ...user.manager, id: id(user.manager.id) } : null,
    };
  }
}

/** Writes `{"value": [...]}` with one user per line, as `scim-planner fetch --out` does; returns its size in bytes. */
export function writeGraphUsersFile(path: string, count: number): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (text: string) => (bytes += writeSync(fd, text));
  try {
    write('{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[\n');
    let batch: string[] = [];
    let first = true;
    for (const user of demoUserCopies(count)) {
      batch.push(JSON.stringify(user));
      if (batch.length === 1000) {
        write((first ? '' : ',\n') + batch.join(',\n'));
        first = false;
        batch = [];
      }
    }
    if (batch.length > 0) write((first ? '' : ',\n') + batch.join(',\n'));
    write('\n]}\n');
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Bytes that are no users file: printable junk with commas, quotes and line breaks, as a wrong file picked by mistake. */
export function writeJunkFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    let seed = 0x2545f491;
    const block = Buffer.alloc(64 * 1024);
    for (let written = 0; written < bytes; written += block.length) {
      for (let i = 0; i < block.length; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const r = seed >>> 24;
        block[i] = r < 8 ? 10 : r < 24 ? 44 : r < 30 ? 34 : 32 + (r % 95);
      }
      writeSync(fd, block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    closeSync(fd);
  }
}
