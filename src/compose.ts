// The composition root: builds the AppContext from the config. Tests build their own (testing/).
import path from 'node:path';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import { openDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './server/metrics.ts';
import { openVault } from './vault/vault.ts';
import { sealPlaintextWebhooks } from './usage/seal-plaintext-webhooks.ts';
import { createDatasetHolder } from './chat/chat-dataset.ts';
import { ensureSampleDataset, openSampleSalesSource } from './datasets/sample-sales/sample-sales-dataset.ts';

export interface ComposeOptions {
  logger?: Logger;
  clock?: Clock;
}

export async function createAppContext(config: Config, options: ComposeOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger({ format: config.logFormat });
  const clock = options.clock ?? systemClock;
  const opened = openDb({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'mosaic.db'), backgroundCheckpoints: true });
  await migrateToLatest(opened.db);
  const vault = await openVault({ config, db: opened.db, logger, clock });
  await sealPlaintextWebhooks({ db: opened.db, vault, logger });
  // Created at start (not at the first question), so a broken data dir shows at once.
  const sampleFile = await ensureSampleDataset(config.dataDir);
  const datasets = createDatasetHolder(async () => openSampleSalesSource(sampleFile));
  return {
    config,
    db: opened.db,
    dbKind: opened.kind,
    pgPool: opened.pgPool,
    logger,
    clock,
    metrics: createMetrics({ defaultMetrics: true }),
    vault,
    datasets,
  };
}
