// An AppContext for tests: a fresh migrated database of the given kind, a random master key, a
// ManualClock, and every log line captured (so canary tests can scan what was logged).
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AppContext } from '../app-context.ts';
import { ManualClock } from '../clock.ts';
import { loadConfig, type Config } from '../config.ts';
import type { DbKind } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../server/metrics.ts';
import { openVault } from '../vault/vault.ts';
import { createTestDb, type TestDb } from './test-db.ts';
import { createDatasetHolder } from '../chat/chat-dataset.ts';
import { ensureSampleDataset, openSampleSalesSource } from '../datasets/sample-sales/sample-sales-dataset.ts';

/** One sample dataset file for every test process (ensureSampleDataset builds it atomically, once). */
export const TEST_DATASET_DIR = path.join(os.tmpdir(), 'mosaic-test-datasets');

export interface TestContext extends AppContext {
  clock: ManualClock;
  testDb: TestDb;
  /** Every log line written so far, raw. */
  logs: string[];
  cleanup(): Promise<void>;
}

export interface TestContextOptions {
  env?: Record<string, string>;
  sqlitePath?: string;
  clockStart?: string;
}

export async function createTestContext(kind: DbKind = 'sqlite', options: TestContextOptions = {}): Promise<TestContext> {
  const testDb = await createTestDb(kind, { sqlitePath: options.sqlitePath });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ destination, level: 'debug' });
  const config: Config = loadConfig({
    MOSAIC_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    MOSAIC_DATA_DIR: '/nonexistent-test-data-dir',
    MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '1',
    ...options.env,
  });
  const clock = new ManualClock(options.clockStart ?? new Date().toISOString());
  const vault = await openVault({ config, db: testDb.db, logger, clock });
  // Opened on first use only: most tests never ask the agent anything.
  const datasets = createDatasetHolder(async () => openSampleSalesSource(await ensureSampleDataset(TEST_DATASET_DIR), { poolSize: 1 }));
  return {
    config,
    db: testDb.db,
    dbKind: testDb.kind,
    pgPool: testDb.pgPool,
    logger,
    clock,
    metrics: createMetrics(),
    vault,
    datasets,
    testDb,
    logs,
    cleanup: async () => {
      await datasets.close();
      await testDb.cleanup();
    },
  };
}
