// The embedded default dataset: created in MOSAIC_DATA_DIR at first start, then only ever read.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { DatasetSource } from '../dataset-source.ts';
import { createSqliteDatasetSource } from '../sqlite-dataset-source.ts';
import { writeSampleSales } from './sample-sales-generate.ts';
import {
  SAMPLE_SALES_ANNOTATIONS,
  SAMPLE_SALES_FILE,
  SAMPLE_SALES_NAME,
  SAMPLE_SALES_SUMMARY,
  SAMPLE_SALES_TABLES,
  SAMPLE_SALES_VERSION,
} from './sample-sales-schema.ts';

/** True when `file` is a complete sample dataset of the current version. */
function isCurrent(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  try {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
      return version === SAMPLE_SALES_VERSION && SAMPLE_SALES_TABLES.every((t) => tables.has(t));
    } finally {
      db.close();
    }
  } catch {
    return false; // not a database (a torn copy, another file): rebuilt below
  }
}

/**
 * Creates `<dataDir>/sample-sales.db` unless a current one is there, and returns its path. The file is built
 * under a temporary name and renamed into place, so a crash or a second instance starting at the same time
 * never leaves a half-written dataset where readers look.
 */
export async function ensureSampleDataset(dataDir: string): Promise<string> {
  await fs.promises.mkdir(dataDir, { recursive: true });
  const target = path.join(dataDir, SAMPLE_SALES_FILE);
  if (isCurrent(target)) return target;
  const temp = path.join(dataDir, `${SAMPLE_SALES_FILE}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    writeSampleSales(temp);
    const fd = fs.openSync(temp, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temp, 0o444);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  return target;
}

/** The sample dataset as a DatasetSource (read-only, sandboxed; see sqlite-sandbox.ts). */
export function openSampleSalesSource(file: string, options: { poolSize?: number } = {}): DatasetSource {
  return createSqliteDatasetSource({
    path: file,
    name: SAMPLE_SALES_NAME,
    summary: SAMPLE_SALES_SUMMARY,
    annotations: SAMPLE_SALES_ANNOTATIONS,
    poolSize: options.poolSize,
  });
}
