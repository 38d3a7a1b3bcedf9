/**
 * The Tenant table's reads at a million users (issue 18): a page of a snapshot's users in snapshot order or sorted by
 * a column, narrowed by a search and the portal's filters, without stepping over the rows before the page.
 *
 * - Paging in snapshot order maps a position to an ordinal: a whole snapshot's ordinals are 0..n-1; a refreshed one
 *   (snapshot-rows.ts) has its base's ordinals minus the few its refresh removed, then its own added users.
 * - Search matches the START of words in display name, UPN, mail and department (as the Entra admin center's user
 *   search does), with an FTS5 word index whose rowid is (snapshot, ordinal), so it does not depend on how
 *   snapshot_users is laid out. The index covers each snapshot's OWN rows; a refreshed snapshot reads its base's.
 * - Sorting reads tenant_user_order: per sortable column, each own user's place in that order (position 0..n-1), with
 *   its ordinal, key and filtered columns, keyed by the position alone (migration 12): a page is a range of positions, a
 *   filtered or searched page reads positions in order, and a refreshed snapshot's page sorts its two layers by the key.
 */
import type Database from 'better-sqlite3';
import type { Page, UserRow } from '../../../shared/api.ts';
import type { TenantUserFilter, TenantUserSort, TenantUserView } from '../../../shared/api/tenant.ts';
import { layerParams, SNAPSHOT_USER_COLUMNS, snapshotUsersSql, type SnapshotLayers } from './snapshot-rows.ts';

/** Ordinals per snapshot in the word index's rowid: rowid = snapshot id × SPAN + ordinal. */
export const SPAN = 4294967296;

/**
 * The filters as SQL over `u`, a table with snapshot_users' account_enabled and user_type (snapshot_users itself, or
 * tenant_user_order); the word index stores each as a facet token. One definition, both uses.
 */
const FILTERS: Record<TenantUserFilter, string> = {
  enabled: 'u.account_enabled = 1',
  disabled: 'u.account_enabled = 0',
  member: "u.user_type IS NOT 'Guest'",
  guest: "u.user_type = 'Guest'",
};

/** The sortable columns: each has its rows in tenant_user_order under its number here (its place in this list). */
const SORT_COLUMNS: Record<TenantUserSort['by'], string> = {
  displayName: 'display_name',
  userPrincipalName: 'user_principal_name',
  department: 'department',
};
const sortColumnNumber = (by: TenantUserSort['by']) => Object.keys(SORT_COLUMNS).indexOf(by);

const facetsSql = `concat_ws(' ', ${Object.entries(FILTERS)
  .map(([facet, sql]) => `CASE WHEN ${sql} THEN '${facet}' END`)
  .join(', ')})`;

/** What indexing reads of each user, in this order: the searched, sorted and filtered columns. */
const KEY_COLUMNS = ['ordinal', 'display_name', 'user_principal_name', 'mail', 'department', 'account_enabled', 'user_type'] as const;
const KEY_PLACES = KEY_COLUMNS.map((column) => SNAPSHOT_USER_COLUMNS.indexOf(column));

/**
 * A snapshot's keys in a narrow temporary table: a user row is about 3.5 KB (its raw and source JSON), a page of its
 * own, so the word index and the three orders are written from this table, not from the rows.
 */
const KEYS_TABLE = 'temp.tenant_user_keys';

/** The keys table's page cache while it is filled: a million users' keys are about 130 MB; spilled, each row costs twice. */
const KEYS_CACHE_KIB = 128 * 1024;
/** SQLite's default cache size (PRAGMA cache_size), which the temporary schema goes back to. */
const SQLITE_DEFAULT_CACHE_KIB = -2000;

/**
 * The sorter's working memory while a snapshot's orders are written: SQLite sorts in memory up to the main schema's
 * page cache size and spills to temporary files beyond it (a million users' keys are about 60 MB).
 */
const SORT_CACHE_KIB = 128 * 1024;

/**
 * The keys of a whole snapshot's users, kept as its writer inserts them (addSnapshot), for indexTenantUsers. Rows
 * written in one large transaction sit in the WAL, where every page read back searches the WAL's index: at a million
 * users reading the keys back cost 10 s of CPU, keeping them as they are written about 2 s.
 */
export class TenantUserKeys {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    // a write that failed took its keys table with its transaction; the cache size it raised is set again either way
    db.prepare(`DROP TABLE IF EXISTS ${KEYS_TABLE}`).run();
    db.pragma(`temp.cache_size = ${-KEYS_CACHE_KIB}`);
    db.prepare(`CREATE TABLE ${KEYS_TABLE} (${KEY_COLUMNS.join(', ')})`).run();
    this.insert = db.prepare(`INSERT INTO ${KEYS_TABLE} VALUES (${KEY_COLUMNS.map(() => '?').join(', ')})`);
  }

  /** One user, from the values its row was inserted with (snapshotUserColumns). */
  add(columns: readonly unknown[]): void {
    this.insert.run(KEY_PLACES.map((place) => columns[place]));
  }

  /** Reads a snapshot's keys from its rows, for the writers that do not keep them (a staged fetch, a refresh, a migration). */
  static read(db: Database.Database, snapshotId: number): TenantUserKeys {
    const keys = new TenantUserKeys(db);
    db.prepare(`INSERT INTO ${KEYS_TABLE} SELECT ${KEY_COLUMNS.join(', ')} FROM snapshot_users WHERE snapshot_id = ?`).run(snapshotId);
    return keys;
  }

  drop(): void {
    this.db.prepare(`DROP TABLE IF EXISTS ${KEYS_TABLE}`).run();
    // nothing else keeps temporary tables on a connection that writes (the read-only shims never write)
    this.db.pragma(`temp.cache_size = ${SQLITE_DEFAULT_CACHE_KIB}`);
  }
}

/**
 * Indexes a snapshot's own user rows for the Tenant table (its words and its sort orders): ONE function, called by
 * every writer once the snapshot's rows are in (a whole snapshot, a refresh); rows a refreshed snapshot shares with
 * its base are indexed under the base. `keys`: the snapshot's keys if its writer kept them (else they are read).
 */
export function indexTenantUsers(db: Database.Database, snapshotId: number, keys?: TenantUserKeys): void {
  const cacheKib = db.pragma('cache_size', { simple: true }) as number;
  // a positive cache_size counts pages; only a setting below the sorter's need is raised, and put back after
  const raised = cacheKib < 0 && -cacheKib < SORT_CACHE_KIB;
  if (raised) db.pragma(`cache_size = ${-SORT_CACHE_KIB}`);
  const kept = keys ?? TenantUserKeys.read(db, snapshotId);
  try {
    db.prepare(
      `INSERT INTO tenant_user_words (rowid, words, facets)
       SELECT @snapshotId * ${SPAN} + u.ordinal, concat_ws(' ', u.display_name, u.user_principal_name, u.mail, u.department), ${facetsSql}
         FROM ${KEYS_TABLE} u`,
    ).run({ snapshotId });
    Object.values(SORT_COLUMNS).forEach((column, number) =>
      db
        .prepare(
          `INSERT INTO tenant_user_order (snapshot_id, sort_column, position, sort_key, ordinal, account_enabled, user_type)
           SELECT @snapshotId, ${number}, row_number() OVER (ORDER BY sort_key COLLATE NOCASE, ordinal) - 1, sort_key, ordinal,
                  account_enabled, user_type
             FROM (SELECT coalesce(u.${column}, '') AS sort_key, u.ordinal, u.account_enabled, u.user_type FROM ${KEYS_TABLE} u)
            ORDER BY sort_key COLLATE NOCASE, ordinal`,
        )
        .run({ snapshotId }),
    );
  } finally {
    kept.drop();
    if (raised) db.pragma(`cache_size = ${cacheKib}`);
  }
}

/**
 * The FTS5 query for a search text: each word a prefix, all required; null when the text has no letter or digit (a
 * search for "%" or "_" then matches the text as a substring, see TenantUsers.list).
 */
export function wordQuery(search: string): string | null {
  const words = search.match(/[\p{L}\p{N}\p{M}]+/gu);
  return words ? words.map((w) => `"${w}"*`).join(' AND ') : null;
}

const ROW_COLUMNS = `u.id, u.user_principal_name AS userPrincipalName, u.display_name AS displayName, u.mail, u.department,
                     u.account_enabled AS accountEnabled, u.user_type AS userType`;

const toRow = (r: Record<string, unknown>) =>
  ({ ...r, accountEnabled: r.accountEnabled === null ? null : r.accountEnabled === 1 }) as UserRow;

/**
 * A base row a refreshed snapshot does not show: its own row has the same ordinal (a refresh keeps a changed user's
 * ordinal and gives added users new ones, snapshot-refresh.ts), or the refresh removed it. By ordinal, so the sort
 * indexes answer without reading the row.
 */
const shadowedInBase = (ordinal: string) =>
  `(EXISTS (SELECT 1 FROM snapshot_users o WHERE o.snapshot_id = @own AND o.ordinal = ${ordinal})
    OR ${ordinal} IN (SELECT b.ordinal FROM snapshot_removed_users r JOIN snapshot_users b ON b.snapshot_id = @base AND b.id = r.id
                       WHERE r.snapshot_id = @own))`;

interface RowRef {
  layer: number;
  ordinal: number;
}

/** A page's count: exact, or (`counting`) the matches counted before the cap, a lower bound. */
type Count = Pick<Page<UserRow>, 'total' | 'counting'>;

/** How many matches a page's count needs: its countLimit, and at least the page itself; null: every match. */
const countCap = ({ countLimit }: Pick<TenantUserView, 'countLimit'>, offset: number, limit: number) =>
  countLimit === undefined ? null : Math.max(countLimit, offset + limit);

/** `total` matches counted with room for one past `cap`: more than the cap means more are left uncounted. */
const counted = (total: number, cap: number | null): Count => (cap !== null && total > cap ? { total, counting: true } : { total });

export class TenantUsers {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly hasWordIndex: boolean;

  constructor(private readonly db: Database.Database) {
    // A workspace from before migration 11 opened read-only is never migrated: it searches by substring instead.
    this.hasWordIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tenant_user_words'").get() !== undefined;
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  list(layers: SnapshotLayers, view: TenantUserView, offset: number, limit: number): Page<UserRow> {
    const search = view.search?.trim() ?? '';
    const filters = [...new Set(view.filters ?? [])];
    const words = search ? wordQuery(search) : null;
    if (!this.hasWordIndex || (search && words === null)) return this.listBySubstring(layers, search, filters, view, offset, limit);
    const facets = filters.length ? `facets : (${filters.join(' AND ')})` : null;
    const match = [words && `words : (${words})`, facets].filter(Boolean).join(' AND ') || null;
    const params = { ...layerParams(layers), ownLo: layers.own * SPAN, baseLo: layers.base === null ? null : layers.base * SPAN };
    const count = match === null ? { total: this.userCount(layers.own) } : this.countMatching(layers, match, params, countCap(view, offset, limit));
    let refs: RowRef[];
    if (view.sort) refs = this.sortedPage(layers, view.sort, filters, words, params, offset, limit);
    else if (match !== null) refs = this.matchingPage(layers, match, params, offset, limit);
    else return { ...count, offset, items: this.pageAtPosition(layers, offset, limit) };
    return { ...count, offset, items: this.rowsAt(refs) };
  }

  private userCount(snapshotId: number): number {
    return (this.sql('SELECT user_count FROM snapshots WHERE id = ?').pluck().get(snapshotId) as number | undefined) ?? 0;
  }

  /** The words rowids of one layer that match; a base layer's without the rows its refreshed snapshot shadows. */
  private matchArm(layer: 'own' | 'base', columns: string): string {
    const lo = layer === 'own' ? '@ownLo' : '@baseLo';
    const shadow = layer === 'base' ? ` AND NOT ${shadowedInBase(`(tenant_user_words.rowid - ${lo})`)}` : '';
    return `SELECT ${columns} FROM tenant_user_words WHERE tenant_user_words MATCH @match AND rowid >= ${lo} AND rowid < ${lo} + ${SPAN}${shadow}`;
  }

  /** The matching users of both layers, counted up to `cap` (null: all); a common word matches most of a million. */
  private countMatching(layers: SnapshotLayers, match: string, params: Record<string, unknown>, cap: number | null): Count {
    const count = (layer: 'own' | 'base', room: number | null) =>
      room === null
        ? (this.sql(this.matchArm(layer, 'count(*)')).pluck().get({ ...params, match }) as number)
        : (this.sql(`SELECT count(*) FROM (${this.matchArm(layer, '1')} LIMIT @room)`).pluck().get({ ...params, match, room }) as number);
    // one more than the cap tells that more match
    const own = count('own', cap === null ? null : cap + 1);
    const total = layers.base === null || (cap !== null && own > cap) ? own : own + count('base', cap === null ? null : cap + 1 - own);
    return counted(total, cap);
  }

  /** A page of the matching users in snapshot order, read from the word index (rowid order is ordinal order). */
  private matchingPage(layers: SnapshotLayers, match: string, params: Record<string, unknown>, offset: number, limit: number): RowRef[] {
    const own = this.matchArm('own', '@own AS layer, rowid - @ownLo AS ordinal');
    const sql =
      layers.base === null
        ? `${own} ORDER BY rowid LIMIT @limit OFFSET @offset`
        : `SELECT layer, ordinal FROM (${own} UNION ALL ${this.matchArm('base', '@base AS layer, rowid - @baseLo AS ordinal')})
            ORDER BY ordinal LIMIT @limit OFFSET @offset`;
    return this.sql(sql).all({ ...params, match, limit, offset }) as RowRef[];
  }

  /**
   * A page sorted by a column: tenant_user_order gives the page's (layer, ordinal) without reading any user row; the
   * filters are its columns and a search is the word index's rowids.
   */
  private sortedPage(
    layers: SnapshotLayers,
    sort: TenantUserSort,
    filters: TenantUserFilter[],
    words: string | null,
    params: Record<string, unknown>,
    offset: number,
    limit: number,
  ): RowRef[] {
    const direction = sort.direction === 'descending' ? 'DESC' : 'ASC';
    const sortColumn = sortColumnNumber(sort.by);
    if (layers.base === null && filters.length === 0 && words === null) {
      // the whole snapshot in this order: the page is a range of positions (descending counts from the last one)
      const count = this.userCount(layers.own);
      const from = direction === 'ASC' ? offset : count - offset - limit;
      return this.sql(
        `SELECT snapshot_id AS layer, ordinal FROM tenant_user_order
          WHERE snapshot_id = @own AND sort_column = @sortColumn AND position >= @from AND position < @to ORDER BY position ${direction}`,
      ).all({ own: layers.own, sortColumn, from: Math.max(0, from), to: from + limit }) as RowRef[];
    }
    const arm = (layer: 'own' | 'base') => {
      const lo = layer === 'own' ? '@ownLo' : '@baseLo';
      const where = [
        `u.snapshot_id = @${layer} AND u.sort_column = @sortColumn`,
        ...filters.map((f) => FILTERS[f]),
        ...(words
          ? [`u.snapshot_id * ${SPAN} + u.ordinal IN (SELECT rowid FROM tenant_user_words WHERE tenant_user_words MATCH @match
                AND rowid >= ${lo} AND rowid < ${lo} + ${SPAN})`]
          : []),
        ...(layer === 'base' ? [`NOT ${shadowedInBase('u.ordinal')}`] : []),
      ];
      return `SELECT u.snapshot_id AS layer, u.ordinal AS ordinal, u.sort_key AS sortKey FROM tenant_user_order u WHERE ${where.join(' AND ')}`;
    };
    const sql =
      layers.base === null
        ? `${arm('own')} ORDER BY u.position ${direction} LIMIT @limit OFFSET @offset`
        : `SELECT layer, ordinal FROM (${arm('own')} UNION ALL ${arm('base')})
            ORDER BY sortKey COLLATE NOCASE ${direction}, ordinal ${direction} LIMIT @limit OFFSET @offset`;
    const rows = this.sql(sql).all({
      ...params,
      ...(words ? { match: `words : (${words})` } : {}),
      sortColumn,
      limit,
      offset,
    }) as RowRef[];
    return rows.map(({ layer, ordinal }) => ({ layer, ordinal }));
  }

  /**
   * A page in snapshot order with nothing narrowing it: the ordinal at `offset` is found from the few ordinals the
   * snapshot lacks, then the page is the next `limit` ordinals; no row before the page is read.
   */
  private pageAtPosition(layers: SnapshotLayers, offset: number, limit: number): UserRow[] {
    const from = this.ordinalAt(layers, offset);
    if (from === null) return [];
    const rows = this.sql(`${snapshotUsersSql(`${ROW_COLUMNS}, u.ordinal`, 'u.ordinal >= @from')} ORDER BY ordinal LIMIT @limit`).all({
      ...layerParams(layers),
      from,
      limit,
    }) as Record<string, unknown>[];
    return rows.map(({ ordinal: _ordinal, ...row }) => toRow(row));
  }

  /** The ordinal of the user at `position` in snapshot order; null past the end. */
  private ordinalAt(layers: SnapshotLayers, position: number): number | null {
    const end = (id: number) => (this.sql('SELECT max(ordinal) FROM snapshot_users WHERE snapshot_id = ?').pluck().get(id) as number | null) ?? -1;
    const rows = (id: number) => this.sql('SELECT count(*) FROM snapshot_users WHERE snapshot_id = ?').pluck().get(id) as number;
    if (layers.base === null) {
      // a whole snapshot's ordinals are dense unless an older writer left gaps: then count to the position
      const count = this.userCount(layers.own);
      if (position >= count) return null;
      if (end(layers.own) + 1 === count) return position;
      return this.sql('SELECT ordinal FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal LIMIT 1 OFFSET ?').pluck().get(layers.own, position) as number;
    }
    const baseEnd = end(layers.base) + 1;
    if (baseEnd !== rows(layers.base)) {
      return this.sql(`SELECT ordinal FROM (${snapshotUsersSql('u.ordinal')}) ORDER BY ordinal LIMIT 1 OFFSET @position`)
        .pluck()
        .get({ ...layerParams(layers), position }) as number | null;
    }
    const removed = this.sql(
      `SELECT b.ordinal FROM snapshot_removed_users r JOIN snapshot_users b ON b.snapshot_id = @base AND b.id = r.id
        WHERE r.snapshot_id = @own ORDER BY b.ordinal`,
    )
      .pluck()
      .all(layerParams(layers)) as number[];
    const inBase = baseEnd - removed.length;
    if (position < inBase) {
      let ordinal = position;
      for (const hole of removed) {
        if (hole > ordinal) break;
        ordinal++;
      }
      return ordinal;
    }
    return (
      (this.sql('SELECT ordinal FROM snapshot_users WHERE snapshot_id = ? AND ordinal >= ? ORDER BY ordinal LIMIT 1 OFFSET ?')
        .pluck()
        .get(layers.own, baseEnd, position - inBase) as number | undefined) ?? null
    );
  }

  private rowsAt(refs: RowRef[]): UserRow[] {
    const one = this.sql(`SELECT ${ROW_COLUMNS} FROM snapshot_users u WHERE u.snapshot_id = ? AND u.ordinal = ?`);
    return refs.map(({ layer, ordinal }) => toRow(one.get(layer, ordinal) as Record<string, unknown>));
  }

  /**
   * A search with no letter or digit (or a workspace without the word index): a substring of the stored search text,
   * read row by row. Slow at a million, kept so "%" or "_" still find the users whose UPN or id holds them.
   */
  private listBySubstring(
    layers: SnapshotLayers,
    search: string,
    filters: TenantUserFilter[],
    { sort, countLimit }: TenantUserView,
    offset: number,
    limit: number,
  ): Page<UserRow> {
    const where = [...filters.map((f) => FILTERS[f]), ...(search ? ["u.search_text LIKE @pattern ESCAPE '\\'"] : [])].join(' AND ') || 'TRUE';
    const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const params = { ...layerParams(layers), pattern, limit, offset };
    const direction = sort?.direction === 'descending' ? 'DESC' : 'ASC';
    const order = sort ? `sortKey COLLATE NOCASE ${direction}, ordinal ${direction}` : 'ordinal';
    const sortKey = sort ? `coalesce(u.${SORT_COLUMNS[sort.by]}, '')` : 'NULL';
    const cap = countCap({ countLimit }, offset, limit);
    const total = this.sql(`SELECT count(*) FROM (${snapshotUsersSql('u.id', where)} LIMIT @room)`)
      .pluck()
      .get({ ...params, room: cap === null ? -1 : cap + 1 }) as number;
    const rows = this.sql(`${snapshotUsersSql(`${ROW_COLUMNS}, u.ordinal, ${sortKey} AS sortKey`, where)} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all(
      params,
    ) as Record<string, unknown>[];
    return { ...counted(total, cap), offset, items: rows.map(({ ordinal: _o, sortKey: _k, ...row }) => toRow(row)) };
  }
}
