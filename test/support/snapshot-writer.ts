// Child process for the crash test: writes snapshots one after another and reports each commit on
// stdout, until it is killed. Each snapshot is one transaction of many users.
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';

const [path, usersPerSnapshot = '20000'] = process.argv.slice(2);
const store = new WorkspaceStore(path!);
const project = store.createProject(`crash-${process.pid}`);
const count = Number(usersPerSnapshot);

for (let n = 1; ; n++) {
  process.stdout.write(`writing ${n}\n`);
  const users = (function* () {
    for (let i = 0; i < count; i++) {
      yield {
        raw: { id: `s${n}-u${i}`, userPrincipalName: `user${i}@contoso.com`, displayName: `User ${i}`, jobTitle: 'x'.repeat(200) },
        source: { objectId: `s${n}-u${i}` },
      };
    }
  })();
  const snapshot = store.addSnapshot({ projectId: project.id, label: `snapshot ${n}`, origin: 'json', users });
  process.stdout.write(`committed ${snapshot.id} ${snapshot.userCount}\n`);
}
