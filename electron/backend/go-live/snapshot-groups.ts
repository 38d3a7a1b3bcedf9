/**
 * A snapshot's groups as the canary finds them, in SQL: a page of a search with its total, and one group by id or
 * name, so picking a group never reads every group (and its member list) into JavaScript.
 */
import type Database from 'better-sqlite3';
import type { Page } from '../../../shared/api/define.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { layerParams, snapshotGroupsSql, snapshotLayers } from '../workspace/snapshot-rows.ts';

interface GroupRow {
  id: string;
  displayName: string | null;
  memberCount: number;
}

/** JavaScript's toLowerCase, so a search ignores case beyond ASCII as the screen's filter did (SQLite's lower() does not). */
const LOWER = 'canary_lower';

/** The direct members the group's source object lists, as the canary counts them. */
const MEMBER_COUNT = `CASE WHEN json_type(g.source, '$.members') = 'array' THEN json_array_length(g.source, '$.members') ELSE 0 END`;
const MATCHES = `@term = '' OR instr(${LOWER}(g.id), @term) > 0 OR instr(${LOWER}(coalesce(g.display_name, '')), @term) > 0`;

class SnapshotGroups {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    db.function(LOWER, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
    this.stmt = {
      count: db.prepare(`SELECT count(*) AS n FROM (${snapshotGroupsSql('g.id', MATCHES)})`),
      page: db.prepare(
        `SELECT id, displayName, memberCount FROM (${snapshotGroupsSql(`g.ordinal AS ordinal, g.id AS id, g.display_name AS displayName, ${MEMBER_COUNT} AS memberCount`, MATCHES)})
          ORDER BY ordinal LIMIT @limit OFFSET @offset`,
      ),
      byId: db.prepare(`SELECT source FROM (${snapshotGroupsSql('g.source AS source', 'g.id = @ref')}) LIMIT 1`),
      byName: db.prepare(`SELECT source FROM (${snapshotGroupsSql('g.ordinal AS ordinal, g.source AS source', `${LOWER}(g.display_name) = @wanted`)}) ORDER BY ordinal LIMIT 1`),
    };
  }

  /** The groups whose id or displayName contains `search` (ignoring case), in the snapshot's order. */
  search(snapshotId: number, search: string, offset: number, limit: number): Page<GroupRow> {
    const params = { ...layerParams(snapshotLayers(this.db, snapshotId)), term: search.trim().toLowerCase() };
    const total = (this.stmt.count.get(params) as { n: number }).n;
    return { total, offset, items: this.stmt.page.all({ ...params, offset, limit }) as GroupRow[] };
  }

  /** A group by object id or, failing that, by displayName (ignoring case): the canary's --group. */
  find(snapshotId: number, ref: string): SourceObject | undefined {
    const params = layerParams(snapshotLayers(this.db, snapshotId));
    const row = (this.stmt.byId.get({ ...params, ref }) ?? this.stmt.byName.get({ ...params, wanted: ref.toLowerCase() })) as { source: string } | undefined;
    return row ? (JSON.parse(row.source) as SourceObject) : undefined;
  }
}

const perWorkspace = new WeakMap<Database.Database, SnapshotGroups>();

/** The statements of a workspace's connection, prepared once. */
export function snapshotGroupsOf(db: Database.Database): SnapshotGroups {
  let groups = perWorkspace.get(db);
  if (!groups) perWorkspace.set(db, (groups = new SnapshotGroups(db)));
  return groups;
}
