import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { drawSampleSales, writeSampleSales } from './sample-sales-generate.ts';
import { SAMPLE_SALES_TABLES, SAMPLE_SALES_VERSION } from './sample-sales-schema.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-sample-sales-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function tableChecksums(file: string): Record<string, string> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Object.fromEntries(
      SAMPLE_SALES_TABLES.map((table) => [table, crypto.createHash('sha256').update(JSON.stringify(db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all())).digest('hex')]),
    );
  } finally {
    db.close();
  }
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const first = path.join(dir, 'first.db');
const started = performance.now();
const counts = writeSampleSales(first);
const generationMs = performance.now() - started;

test('two generations give the same tables and the same file bytes', () => {
  const second = path.join(dir, 'second.db');
  writeSampleSales(second);
  assert.deepEqual(tableChecksums(second), tableChecksums(first));
  assert.equal(sha256(second), sha256(first));
});

test('another seed gives other data (the checksum above is not of something constant)', () => {
  const other = path.join(dir, 'other-seed.db');
  writeSampleSales(other, drawSampleSales(7));
  const a = tableChecksums(first);
  const b = tableChecksums(other);
  assert.notEqual(a.orders, b.orders);
  assert.notEqual(a.customers, b.customers);
});

test('the dataset has the promised size and is generated quickly', () => {
  assert.deepEqual({ customers: counts.customers, products: counts.products, orders: counts.orders }, { customers: 500, products: 120, orders: 5000 });
  assert.ok(counts.orderLines > 14_000 && counts.orderLines < 16_000, `order lines: ${counts.orderLines}`);
  assert.ok(generationMs < 2_000, `generation took ${Math.round(generationMs)} ms`);
  const db = new DatabaseSync(first, { readOnly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    assert.deepEqual(SAMPLE_SALES_TABLES.map(count), [500, 120, 5000, counts.orderLines]);
    assert.equal((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SAMPLE_SALES_VERSION);
  } finally {
    db.close();
  }
});

test('the data is realistic: two years of orders, consistent keys, totals, and no order before its customer signed up', () => {
  const db = new DatabaseSync(first, { readOnly: true });
  const one = (sql: string) => db.prepare(sql).get() as Record<string, number | string>;
  try {
    assert.deepEqual({ ...one('SELECT min(order_date) AS a, max(order_date) AS b FROM orders') }, { a: '2023-01-01', b: '2024-12-31' });
    assert.equal(one("SELECT count(DISTINCT strftime('%Y-%m', order_date)) AS n FROM orders").n, 24);
    assert.equal(one('SELECT count(*) AS n FROM orders o JOIN customers c USING (customer_id) WHERE c.signup_date > o.order_date').n, 0);
    assert.equal(one('SELECT count(*) AS n FROM order_lines l LEFT JOIN products p USING (product_id) WHERE p.product_id IS NULL').n, 0);
    assert.equal(one('SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.order_id)').n, 0);
    // Rounded to the cent: at most one cent apart from SQLite's own round() at a half-cent.
    assert.equal(one('SELECT count(*) AS n FROM order_lines WHERE abs(line_total - round(quantity * unit_price * (1 - discount), 2)) > 0.0101').n, 0);
    assert.equal(one('SELECT count(DISTINCT region) AS n FROM customers').n, 4);
    assert.equal(one('SELECT count(DISTINCT category) AS n FROM products').n, 4);
    assert.equal(one('SELECT count(DISTINCT email) AS n FROM customers').n, 500);
    // December sells more than January in both years: seasonality a chart would show.
    const month = (m: string) => one(`SELECT count(*) AS n FROM orders WHERE strftime('%m', order_date) = '${m}'`).n as number;
    assert.ok(month('12') > month('01'));
  } finally {
    db.close();
  }
});
