import type Database from 'better-sqlite3';

/**
 * One step of the workspace schema (docs/architecture.md, "Data"): versions strictly increasing, all pending ones
 * applied in one transaction, the result stamped in PRAGMA user_version. Never edit a migration that has shipped: add a
 * new one.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
