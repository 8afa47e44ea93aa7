// Test databases: each call gets a fresh, migrated database of the kind under test.
// `dialectsUnderTest()` lists SQLite always, and PostgreSQL when MOSAIC_TEST_DATABASE_URL is set, so a
// storage suite written as `for (const kind of dialectsUnderTest())` runs once per database.
import crypto from 'node:crypto';
import pg from 'pg';
import { openDb, type DbKind, type OpenedDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';

export function dialectsUnderTest(): DbKind[] {
  return process.env.MOSAIC_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDb extends OpenedDb {
  /** Closes the connection and drops the PostgreSQL schema. */
  cleanup(): Promise<void>;
  /** The options to open a second connection to the same database (a second "instance"). */
  reopen(): OpenedDb;
}

/** A migrated database: SQLite in a temp file (or memory), or a fresh schema in the test PostgreSQL. */
export async function createTestDb(kind: DbKind, options: { sqlitePath?: string } = {}): Promise<TestDb> {
  if (kind === 'postgres') {
    const url = process.env.MOSAIC_TEST_DATABASE_URL;
    if (!url) throw new Error('MOSAIC_TEST_DATABASE_URL is not set');
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const open = () => openDb({ databaseUrl: url, pgSchema: schema, pgPoolSize: 20 });
    const opened = open();
    await migrateWithRetry(() => migrateToLatest(opened.db, { pgSchema: schema }));
    return {
      ...opened,
      reopen: open,
      async cleanup() {
        await opened.db.destroy();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const sqlitePath = options.sqlitePath ?? ':memory:';
  const open = () => openDb({ databaseUrl: null, sqlitePath });
  const opened = open();
  await migrateToLatest(opened.db);
  return { ...opened, reopen: open, cleanup: () => opened.db.destroy() };
}

// Kysely's migrator introspects every schema of the database; when another test file drops its own
// schema at that very moment the introspection fails with "schema … does not exist" (3F000). That is
// a race between test files only (production has one schema), so the test set-up simply tries again.
async function migrateWithRetry(run: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      if (attempt >= 5 || !/does not exist/.test(String(error instanceof Error ? error.message : error))) throw error;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
