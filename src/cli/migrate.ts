import type { Command } from './commands.ts';
import { openDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import path from 'node:path';

export const migrateCommand: Command = {
  summary: 'apply pending database migrations',
  usage: 'migrate',
  async run(_args, config) {
    const { db } = openDb({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'mosaic.db') });
    try {
      const applied = await migrateToLatest(db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await db.destroy();
    }
  },
};
