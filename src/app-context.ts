// The composition root's product: every long-lived dependency, created once in main.ts (or by a
// test) and handed to the routes. Nothing in here reads the environment; config.ts did that.
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Db, DbKind } from './db/database.ts';
import type pg from 'pg';
import type { Logger } from './logger.ts';
import type { Metrics } from './server/metrics.ts';
import type { Vault } from './vault/vault-api.ts';
import type { DatasetHolder } from './chat/chat-dataset.ts';

export interface AppContext {
  config: Config;
  db: Db;
  dbKind: DbKind;
  pgPool: pg.Pool | null;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  vault: Vault;
  /** The datasets the chat's agent queries (opened on first use, closed at shutdown). */
  datasets: DatasetHolder;
}
