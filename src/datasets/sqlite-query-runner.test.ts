import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { DatasetQueryError } from './dataset-query-error.ts';
import { ensureSampleDataset } from './sample-sales/sample-sales-dataset.ts';
import { createSqliteQueryRunner, type SqliteQueryRunner } from './sqlite-query-runner.ts';

const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c';

let dir: string;
let dataset: string;
let mosaicDb: string;
let runner: SqliteQueryRunner;

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Pids of this process's children (the query processes). */
function childPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(process.pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const refusal = (sql: string): Promise<DatasetQueryError> => refusalFrom(runner, sql);

async function refusalFrom(target: SqliteQueryRunner, sql: string): Promise<DatasetQueryError> {
  const error = await target.query(sql).then(
    (result) => assert.fail(`${sql} was run: ${JSON.stringify(result.rows).slice(0, 200)}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DatasetQueryError, String(error));
  return error;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-query-runner-'));
  dataset = await ensureSampleDataset(path.join(dir, 'data'));
  // Stands in for Mosaic's own database next to the dataset: what an ATTACH would be after.
  mosaicDb = path.join(dir, 'data', 'mosaic.db');
  const db = new DatabaseSync(mosaicDb);
  db.exec("CREATE TABLE users (email TEXT, password_hash TEXT); INSERT INTO users VALUES ('admin@example.com', 'argon2-secret');");
  db.close();
  runner = createSqliteQueryRunner({ path: dataset, poolSize: 2 });
});

after(async () => {
  await runner.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a query returns its columns and rows compactly', async () => {
  const result = await runner.query("SELECT category, count(*) AS products FROM products GROUP BY category ORDER BY category");
  assert.deepEqual(result.columns, ['category', 'products']);
  assert.deepEqual(result.rows, [
    ['Electronics', 48],
    ['Furniture', 29],
    ['Office Supplies', 26],
    ['Software', 17],
  ]);
  assert.equal(result.rowCount, 4);
  assert.equal(result.truncated, false);
  assert.ok(result.durationMs >= 0);
  // Schema pragmas are reads, and models like to use them.
  const info = await runner.query('PRAGMA table_info(orders)');
  assert.equal(info.rowCount, 6);
});

test('rows beyond the cap are not returned and the result says it was truncated', async () => {
  const capped = await runner.query('SELECT * FROM order_lines');
  assert.equal(capped.rowCount, 200);
  assert.equal(capped.rows.length, 200);
  assert.equal(capped.truncated, true);

  const five = await runner.query('SELECT order_id FROM orders ORDER BY order_id', { maxRows: 5 });
  assert.deepEqual(five.rows, [[1], [2], [3], [4], [5]]);
  assert.equal(five.truncated, true);

  const exact = await runner.query('SELECT order_id FROM orders ORDER BY order_id LIMIT 5', { maxRows: 5 });
  assert.equal(exact.truncated, false);

  const small = await runner.query('SELECT * FROM customers', { maxRows: 1000, maxBytes: 4096 });
  assert.equal(small.truncated, true);
  assert.ok(small.rowCount > 5 && small.rowCount < 100, `rows: ${small.rowCount}`);
  assert.ok(Buffer.byteLength(JSON.stringify(small.rows)) <= 4096);
});

test('long texts and blobs come back shortened', async () => {
  const result = await runner.query("SELECT printf('%.5000c', 'x') AS long_text, randomblob(16) AS blob");
  const [text, blob] = result.rows[0]!;
  assert.equal(String(text).length, 1001);
  assert.ok(String(text).endsWith('…'));
  assert.equal(blob, '<blob 16 bytes>');
});

test('a runaway query is stopped at its timeout without freezing the server', async () => {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 50);
  const started = performance.now();
  const pending = runner.query(RUNAWAY, { timeoutMs: 1000 }).catch((e: unknown) => e);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const running = childPids();
  const error = await pending;
  const elapsed = performance.now() - started;
  clearInterval(ticker);
  assert.ok(error instanceof DatasetQueryError);
  assert.equal(error.code, 'timeout');
  assert.match(error.message, /longer than 1 s/);
  assert.ok(elapsed >= 950 && elapsed < 2000, `stopped after ${Math.round(elapsed)} ms`);
  assert.ok(ticks >= 10, `the event loop ticked only ${ticks} times`);
  // The process running it is gone (not left burning a core) and the next query runs normally.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(running.some((pid) => !isAlive(pid)), 'a query process was killed');
  const result = await runner.query('SELECT count(*) FROM orders');
  assert.deepEqual(result.rows, [[5000]]);
});

test('aborting stops a running query at once', async () => {
  const controller = new AbortController();
  const pending = runner.query(RUNAWAY, { signal: controller.signal, timeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const running = childPids();
  const started = performance.now();
  controller.abort();
  const error = await pending.catch((e: unknown) => e);
  assert.ok(error instanceof DatasetQueryError);
  assert.equal(error.code, 'aborted');
  assert.ok(performance.now() - started < 500);
  await new Promise((resolve) => setTimeout(resolve, 300));
  // The process that ran it has been killed.
  assert.ok(running.some((pid) => !isAlive(pid)), 'a query process was killed');
  assert.ok(childPids().length <= 2);
});

test('every attack is refused by the connection, and nothing changes on disk', async () => {
  const datasetBefore = sha256(dataset);
  const mosaicBefore = sha256(mosaicDb);
  const copy = path.join(dir, 'data', 'copy.db');
  const attacks: Array<[string, string]> = [
    [`ATTACH DATABASE '${mosaicDb}' AS m`, 'not_read_only'],
    [`ATTACH DATABASE '${mosaicDb}' AS m; SELECT * FROM m.users`, 'not_read_only'],
    ['SELECT * FROM m.users', 'sql_error'],
    ['DETACH DATABASE main', 'not_read_only'],
    ['PRAGMA writable_schema = 1', 'not_read_only'],
    ['PRAGMA query_only = 0', 'not_read_only'],
    ['PRAGMA journal_mode = WAL', 'not_read_only'],
    ['PRAGMA busy_timeout = 1', 'not_read_only'],
    ['SELECT * FROM pragma_database_list', 'not_read_only'],
    ['DELETE FROM orders', 'not_read_only'],
    ['DROP TABLE orders', 'not_read_only'],
    ["INSERT INTO orders VALUES (99999, 1, '2024-01-01', 'completed', 'online', 0)", 'not_read_only'],
    ["UPDATE products SET unit_price = 0", 'not_read_only'],
    ['WITH doomed AS (SELECT 1) DELETE FROM order_lines RETURNING *', 'not_read_only'],
    ['CREATE TEMP TABLE t AS SELECT 1', 'not_read_only'],
    ['BEGIN IMMEDIATE', 'not_read_only'],
    ['ANALYZE', 'not_read_only'],
    ['REINDEX', 'not_read_only'],
    [`VACUUM INTO '${copy}'`, 'not_read_only'],
    ['VACUUM', 'not_read_only'],
    ["SELECT load_extension('/tmp/evil.so')", 'not_read_only'],
    ['SELECT 1; DELETE FROM orders', 'multiple_statements'],
    ['SELECT 1; SELECT 2', 'multiple_statements'],
    ['SELECT length(zeroblob(100000000))', 'sql_error'],
    ['', 'empty_query'],
    ['-- just a comment', 'empty_query'],
  ];
  for (const [sql, code] of attacks) {
    const error = await refusal(sql);
    assert.equal(error.code, code, `${sql} → ${error.code}: ${error.message}`);
  }
  // The refusals say what to do instead.
  assert.match((await refusal(`ATTACH '${mosaicDb}' AS m`)).message, /ATTACH is refused/);
  assert.match((await refusal('DELETE FROM orders')).message, /read-only/);
  // PRAGMA query_only = 0 changed nothing: writes are still refused on that connection.
  assert.equal((await refusal('DELETE FROM orders')).code, 'not_read_only');

  assert.equal(sha256(dataset), datasetBefore);
  assert.equal(sha256(mosaicDb), mosaicBefore);
  assert.equal(fs.existsSync(copy), false);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'data')).sort(), ['mosaic.db', 'sample-sales.db']);
  assert.deepEqual((await runner.query('SELECT count(*) FROM orders')).rows, [[5000]]);
});

test('SQL errors come back with SQLite\'s reason and a hint', async () => {
  const syntax = await refusal('SELEC * FROM orders');
  assert.equal(syntax.code, 'sql_error');
  assert.match(syntax.message, /syntax error/);
  const unknown = await refusal('SELECT revenue FROM orders');
  assert.equal(unknown.code, 'sql_error');
  assert.match(unknown.message, /no such column: revenue.*describe_dataset/);
});

test('close() ends every query process and refuses later calls', async () => {
  const others = new Set(childPids());
  const own = createSqliteQueryRunner({ path: dataset });
  await own.query('SELECT 1');
  const pending = own.query(RUNAWAY, { timeoutMs: 60_000 }).then(
    () => assert.fail('the query should not finish'),
    (e: DatasetQueryError) => e,
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const mine = childPids().filter((pid) => !others.has(pid));
  assert.ok(mine.length >= 1);
  await own.close();
  assert.equal((await pending).code, 'unavailable');
  assert.equal((await refusalFrom(own, 'SELECT 1')).code, 'unavailable');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(mine.filter(isAlive), []);
});

test('a missing dataset file is reported as unavailable, not a crash', async () => {
  const missing = createSqliteQueryRunner({ path: path.join(dir, 'nope.db') });
  const error = await missing.query('SELECT 1').catch((e: unknown) => e);
  await missing.close();
  assert.ok(error instanceof DatasetQueryError);
  assert.equal(error.code, 'unavailable');
  assert.match(error.message, /does not exist/);
});
