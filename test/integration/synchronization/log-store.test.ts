import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogComparisonDto } from '../../../shared/api.ts';
import { KEEP_PER_PROJECT, LogComparisonStore } from '../../../electron/backend/synchronization/log-store.ts';
import { openWorkspaceDatabase } from '../../../electron/backend/workspace/db.ts';
import { LATEST_VERSION, migrations } from '../../../electron/backend/workspace/migrations.ts';
import { LOG_COMPARISONS_VERSION } from '../../../electron/backend/workspace/migrations/log-comparisons.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

const comparison = (fileName: string): Omit<LogComparisonDto, 'id'> => ({
  comparedAt: '2026-12-05T10:00:00.000Z',
  source: { kind: 'file', fileNames: [fileName] },
  revision: 1,
  snapshotId: 1,
  snapshotLabel: 'contoso',
  complete: true,
  entries: 2,
  matched: 1,
  agreed: 0,
  unmatched: 0,
  skipped: 0,
  differences: [{ userPrincipalName: 'chloe@contoso.com', sourceId: 'c3', changeId: 'c-1', attribute: 'displayName', entraSent: 'Chloé Martin', planned: 'Chloé Dupré', cause: 'source-changed', why: 'older log' }],
  failures: [{ errorCode: 'Timeout', count: 1, explanation: 'slow', fix: 'wait', reason: null, users: ['Eve'], sourceIds: ['e5'], inSnapshot: [false] }],
});

describe('kept logs comparisons', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    dir = tempDir('log-store-');
    path = join(dir.path, 'w.scimplan');
  });
  afterEach(() => dir.cleanup());

  it(`migration ${LOG_COMPARISONS_VERSION} upgrades the previous version, keeping its projects, with a STRICT table`, () => {
    const old = openWorkspaceDatabase(path, { migrations: migrations.filter((m) => m.version < LOG_COMPARISONS_VERSION) });
    old.prepare("INSERT INTO projects (name, vendor_id, created_at) VALUES ('Contoso', 'generic', '2025-01-01')").run();
    old.close();
    const store = WorkspaceStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(store.listProjects().map((p) => p.name)).toEqual(['Contoso']);
      expect(store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'log_comparisons'").pluck().get()).toMatch(/STRICT/);
      expect(new LogComparisonStore(store.db).latest(store.listProjects()[0]!.id)).toBeNull();
    } finally {
      store.close();
    }
  });

  it(`keeps the last ${KEEP_PER_PROJECT} per project, as they were saved, until the project is deleted`, () => {
    const store = WorkspaceStore.open(path);
    try {
      const a = store.createProject('A', 'generic').id;
      const b = store.createProject('B', 'generic').id;
      const kept = new LogComparisonStore(store.db);
      const saved = Array.from({ length: KEEP_PER_PROJECT + 3 }, (_, i) => kept.save(a, comparison(`a-${i}.json`)));
      const other = kept.save(b, comparison('b.json'));
      expect(kept.count(a)).toBe(KEEP_PER_PROJECT);
      expect(kept.latest(a)).toEqual(saved.at(-1));
      expect(kept.get(a, saved[2]!.id)).toBeNull();
      expect(kept.get(a, saved[3]!.id)).toEqual(saved[3]);
      expect(kept.get(a, other.id)).toBeNull();
      expect(kept.latest(b)).toEqual(other);
      store.db.prepare('DELETE FROM projects WHERE id = ?').run(a);
      expect(kept.count(a)).toBe(0);
      expect(kept.count(b)).toBe(1);
    } finally {
      store.close();
    }
  });
});
