/**
 * Every request and response the mock server handled: emitted live to listeners (the app forwards them
 * as API events) and persisted in the capped `mock_request_log` table. Rows are written in small
 * batches off the request path, so logging does not cost a SQLite commit per request.
 */
import type Database from 'better-sqlite3';
import type { MockRequestDetail } from '../../../shared/api/mock-server.ts';

/** One logged request with its bodies, as the API describes it (rule: what decided a rejection). */
export type RequestLogEntry = MockRequestDetail;

export interface RequestLogQuery {
  /** substring searched in path, bodies and rule, ignoring case */
  text?: string;
  method?: string;
  status?: number;
  /** only entries with seq greater than this (paging forward / live catch-up) */
  afterSeq?: number;
  /** newest first, at most this many (default 100, max 1,000) */
  limit?: number;
}

export type RequestLogSummary = Omit<RequestLogEntry, 'requestBody' | 'responseBody'>;

export type RequestListener = (entry: RequestLogEntry) => void;

/** Bodies longer than this are cut in the log (the request itself is unaffected). */
const BODY_LIMIT = 64 * 1024;

const clip = (body: string | null) => (body !== null && body.length > BODY_LIMIT ? body.slice(0, BODY_LIMIT) + '…[truncated]' : body);

export class RequestLog {
  private readonly listeners = new Set<RequestListener>();
  private buffer: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private seq: number;
  private readonly insert;
  private readonly trim;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly cap = 10_000,
    private readonly flushDelayMs = 50,
  ) {
    this.seq = (db.prepare('SELECT coalesce(max(seq), 0) FROM mock_request_log').pluck().get() as number) ?? 0;
    this.insert = db.prepare(
      'INSERT INTO mock_request_log (seq, at, method, path, status, duration_ms, request_body, response_body, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.trim = db.prepare('DELETE FROM mock_request_log WHERE seq <= ?');
    // One statement per shape, every filter optional (NULL or '' = not filtering), newest first on the key.
    const where = `WHERE (@afterSeq IS NULL OR seq > @afterSeq) AND (@method IS NULL OR method = @method)
      AND (@status IS NULL OR status = @status)
      AND (@text = '' OR instr(lower(path), @text) > 0 OR instr(lower(coalesce(request_body, '')), @text) > 0
           OR instr(lower(coalesce(response_body, '')), @text) > 0 OR instr(lower(coalesce(rule, '')), @text) > 0)`;
    const summary = 'seq, at, method, path, status, duration_ms AS durationMs, rule';
    this.statements = {
      count: db.prepare(`SELECT count(*) FROM mock_request_log ${where}`).pluck(),
      pageSummaries: db.prepare(`SELECT ${summary} FROM mock_request_log ${where} ORDER BY seq DESC LIMIT @limit OFFSET @offset`),
      pageEntries: db.prepare(
        `SELECT ${summary}, request_body AS requestBody, response_body AS responseBody FROM mock_request_log ${where} ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
      ),
      entry: db.prepare(`SELECT ${summary}, request_body AS requestBody, response_body AS responseBody FROM mock_request_log WHERE seq = ?`),
    };
  }

  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, seq: ++this.seq, requestBody: clip(entry.requestBody), responseBody: clip(entry.responseBody) };
    this.buffer.push(full);
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // a faulty listener must not break request handling
      }
    }
    if (this.buffer.length >= 500) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushDelayMs);
      this.timer.unref();
    }
    return full;
  }

  onRequest(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0 || !this.db.open) return;
    const batch = this.buffer;
    this.buffer = [];
    this.db.transaction(() => {
      for (const e of batch) {
        this.insert.run(e.seq, e.at, e.method, e.path, e.status, e.durationMs, e.requestBody, e.responseBody, e.rule);
      }
      this.trim.run(this.seq - this.cap);
    })();
  }

  query(query: RequestLogQuery = {}): RequestLogEntry[] {
    return this.page(query).entries as RequestLogEntry[];
  }

  /**
   * Newest first, `offset` rows skipped, with the total that matches; `withBodies: false` leaves the
   * bodies out (the screen's list needs only the summary, bodies come one at a time with `entry`).
   */
  page(query: RequestLogQuery & { offset?: number; withBodies?: boolean } = {}): { total: number; entries: (RequestLogSummary | RequestLogEntry)[] } {
    this.flush();
    const params = {
      afterSeq: query.afterSeq ?? null,
      method: query.method ? query.method.toUpperCase() : null,
      status: query.status ?? null,
      // lower() folds ASCII only, which covers SCIM names, ids and rules
      text: query.text ? query.text.toLowerCase() : '',
    };
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const offset = Math.max(query.offset ?? 0, 0);
    const total = this.statements.count.get(params) as number;
    const statement = query.withBodies === false ? this.statements.pageSummaries : this.statements.pageEntries;
    return { total, entries: statement.all({ ...params, limit, offset }) as RequestLogEntry[] };
  }

  /** One entry with its bodies, or undefined when it was never logged or has been trimmed. */
  entry(seq: number): RequestLogEntry | undefined {
    this.flush();
    return this.statements.entry.get(seq) as RequestLogEntry | undefined;
  }

  clear(): void {
    this.flush();
    this.db.exec('DELETE FROM mock_request_log');
  }
}
