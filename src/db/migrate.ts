// Applies the migrations in db/migrations/ (the same files for SQLite and PostgreSQL), in name order.
// Listed explicitly rather than read from the folder: type stripping runs .ts files directly, and an
// explicit list cannot pick up a stray test file.
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-chat-message-seq.ts';
import * as m0003 from './migrations/0003-alert-webhook-secret.ts';

const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-chat-message-seq': m0002,
  '0003-alert-webhook-secret': m0003,
};

class ListedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export class MigrationFailedError extends Error {
  override name = 'MigrationFailedError';
}

/** Brings the schema up to date; returns the names applied now. */
export async function migrateToLatest(db: Db, options: { pgSchema?: string } = {}): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which: with several Mosaic
  // schemas in one PostgreSQL (the tests make one each) it would find another schema's and fail.
  const migrator = new Migrator({
    db,
    provider: new ListedMigrations(),
    ...(options.pgSchema ? { migrationTableSchema: options.pgSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationFailedError(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
