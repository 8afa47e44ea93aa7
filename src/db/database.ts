// Opens the database: embedded SQLite (WAL, busy timeout) by default, PostgreSQL when a URL is given.
// Everything above this file speaks Kysely<Database> and does not know which one it got.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { startSqliteCheckpointer, type SqliteCheckpointer } from './sqlite-checkpointer.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type DbKind = 'sqlite' | 'postgres';

export interface OpenedDb {
  db: Db;
  kind: DbKind;
  /** The PostgreSQL pool (for LISTEN/NOTIFY), null on SQLite. */
  pgPool: pg.Pool | null;
  /** The SQLite file path, null for PostgreSQL or in-memory. */
  sqlitePath: string | null;
  /** The background WAL checkpointer (SQLite file, when asked for), null otherwise. */
  checkpointer: SqliteCheckpointer | null;
}

// int8 (bigint) columns hold micro-dollars and token sums: far below 2^53, so a JS number is exact.
pg.types.setTypeParser(20, (value) => Number(value));

export interface OpenDbOptions {
  databaseUrl: string | null;
  /** SQLite file; ':memory:' for tests. Ignored when databaseUrl is set. */
  sqlitePath?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  pgSchema?: string;
  pgPoolSize?: number;
  /** SQLite file only: checkpoint the WAL from a worker thread, not inside commits (the server: sqlite-checkpointer.ts). */
  backgroundCheckpoints?: boolean;
}

export function openDb(options: OpenDbOptions): OpenedDb {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.pgPoolSize ?? 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres', pgPool: pool, sqlitePath: null, checkpointer: null };
  }
  const file = options.sqlitePath ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const checkpointer = options.backgroundCheckpoints === true && file !== ':memory:' ? startSqliteCheckpointer(sqlite, file) : null;
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
    kind: 'sqlite',
    pgPool: null,
    sqlitePath: file === ':memory:' ? null : file,
    checkpointer,
  };
}
