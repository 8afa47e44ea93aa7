import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { ensureSampleDataset, openSampleSalesSource } from './sample-sales-dataset.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-sample-dataset-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('the first start creates the dataset in the data directory, later starts reuse it', async () => {
  const dataDir = path.join(root, 'first-start', 'data');
  const file = await ensureSampleDataset(dataDir);
  assert.equal(file, path.join(dataDir, 'sample-sales.db'));
  assert.deepEqual(fs.readdirSync(dataDir), ['sample-sales.db']); // no temp file or journal left behind
  const before = fs.statSync(file);
  assert.equal(await ensureSampleDataset(dataDir), file);
  const again = fs.statSync(file);
  assert.equal(again.ino, before.ino);
  assert.equal(again.mtimeMs, before.mtimeMs);
});

test('a damaged or outdated file is replaced by a complete dataset', async () => {
  const dataDir = path.join(root, 'damaged');
  fs.mkdirSync(dataDir);
  const file = path.join(dataDir, 'sample-sales.db');
  fs.writeFileSync(file, 'half a file');
  await ensureSampleDataset(dataDir);
  const db = new DatabaseSync(file, { readOnly: true });
  assert.equal((db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n, 5000);
  db.close();

  const old = path.join(root, 'outdated');
  fs.mkdirSync(old);
  const stale = new DatabaseSync(path.join(old, 'sample-sales.db'));
  stale.exec('CREATE TABLE orders (x); PRAGMA user_version = 0;');
  stale.close();
  await ensureSampleDataset(old);
  const fresh = new DatabaseSync(path.join(old, 'sample-sales.db'), { readOnly: true });
  assert.equal((fresh.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n, 500);
  fresh.close();
});

test('describe() lists the tables with columns, types, keys, row counts, samples and notes', async (t) => {
  const source = openSampleSalesSource(await ensureSampleDataset(path.join(root, 'describe')));
  t.after(() => source.close());
  assert.equal(source.dialect, 'sqlite');
  const description = await source.describe();
  assert.equal(description.name, 'Sample sales');
  assert.deepEqual(
    description.tables.map((table) => [table.name, table.rowCount]),
    [
      ['customers', 500],
      ['products', 120],
      ['orders', 5000],
      ['order_lines', description.tables[3]!.rowCount],
    ],
  );
  const orders = description.tables.find((table) => table.name === 'orders')!;
  assert.equal(orders.description, 'One row per order.');
  assert.deepEqual(
    orders.columns.map((c) => [c.name, c.type]),
    [
      ['order_id', 'INTEGER'],
      ['customer_id', 'INTEGER'],
      ['order_date', 'TEXT'],
      ['status', 'TEXT'],
      ['channel', 'TEXT'],
      ['shipping_cost', 'REAL'],
    ],
  );
  const column = (name: string) => orders.columns.find((c) => c.name === name)!;
  assert.equal(column('order_id').primaryKey, true);
  assert.equal(column('customer_id').references, 'customers.customer_id');
  assert.match(String(column('order_date').samples[0]), /^\d{4}-\d{2}-\d{2}$/);
  for (const table of description.tables) {
    for (const c of table.columns) assert.ok(c.samples.length >= 1 && c.samples.length <= 3, `${table.name}.${c.name}`);
  }
  assert.ok(description.notes.some((note) => note.includes('strftime')));
  // A second call is served from memory, the same answer.
  assert.equal(await source.describe(), description);
});
