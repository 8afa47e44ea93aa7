// Kysely's SQLite driver prepares (compiles) every statement anew on each query; a chat turn runs a few
// dozen, and the benchmark (issue 8) showed preparing alone costing about a millisecond of CPU per turn.
// This keeps compiled statements by SQL text, bounded, and never hands out one that is mid-iteration.
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

const MAX_STATEMENTS = 1000;

/** The database as Kysely's SqliteDialect wants it, with prepared statements reused by SQL text. */
export function withStatementCache(sqlite: SQLite.Database, max = MAX_STATEMENTS): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      // A statement still being iterated (a streamed query) is busy: give this caller its own.
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
