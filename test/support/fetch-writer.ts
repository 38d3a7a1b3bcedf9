// Child process for the crash test of a snapshot written in steps (a Graph fetch): appends pages of users to a
// snapshot that stays out of sight, reporting each page on stdout, and waits after `pages` pages until it is killed.
import { SnapshotWriter } from '../../electron/backend/workspace/snapshot-writer.ts';

const [path, projectId, pages = '3'] = process.argv.slice(2);
const writer = SnapshotWriter.begin({ path: path!, projectId: Number(projectId) });
for (let page = 0; page < Number(pages); page++) {
  const users = Array.from({ length: 5_000 }, (_, i) => {
    const id = `p${page}-u${i}`;
    return { raw: { id, userPrincipalName: `${id}@contoso.com`, displayName: `User ${id}` }, source: { objectId: id } };
  });
  writer.appendUsers(users);
  process.stdout.write(`appended ${page + 1} ${writer.snapshotId}\n`);
}
setInterval(() => undefined, 1000);
