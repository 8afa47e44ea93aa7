import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { DatasetSource } from '../../../datasets/dataset-source.ts';
import { ensureSampleDataset, openSampleSalesSource } from '../../../datasets/sample-sales/sample-sales-dataset.ts';
import { createAgentTools, type AgentTools } from './agent-tools.ts';

let dir: string;
let file: string;
let source: DatasetSource;
let tools: AgentTools;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-agent-tools-'));
  file = await ensureSampleDataset(dir);
  source = openSampleSalesSource(file);
  tools = createAgentTools(source);
});

after(async () => {
  await source.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const errorOf = (output: unknown) => (output as { error: { code: string; message: string } }).error;

test('the specs list describe_dataset first, then run_query with a JSON Schema input and a SQLite hint', () => {
  assert.deepEqual(
    tools.specs.map((spec) => spec.name),
    ['describe_dataset', 'run_query'],
  );
  const runQuery = tools.specs[1]!;
  assert.deepEqual(runQuery.inputSchema.required, ['sql']);
  assert.equal((runQuery.inputSchema.properties as { sql: { maxLength: number } }).sql.maxLength, 10_000);
  for (const spec of tools.specs) {
    assert.match(spec.description, /SQLite/);
    for (const table of ['customers', 'products', 'orders', 'order_lines']) assert.ok(spec.description.includes(table), `${spec.name} names ${table}`);
  }
});

test('describe_dataset returns the tables compactly, with at most 3 samples per column', async () => {
  const result = await tools.execute('describe_dataset', {});
  assert.equal(result.isError, false);
  assert.equal(result.summary, 'describe_dataset: 4 tables');
  const output = result.output as { dialect: string; notes: string[]; tables: Array<{ name: string; rowCount: number; columns: Array<Record<string, unknown>> }> };
  assert.equal(output.dialect, 'sqlite');
  assert.deepEqual(
    output.tables.map((t) => [t.name, t.rowCount]).slice(0, 3),
    [
      ['customers', 500],
      ['products', 120],
      ['orders', 5000],
    ],
  );
  const lines = output.tables[3]!;
  const productId = lines.columns.find((c) => c.name === 'product_id')!;
  assert.equal(productId.references, 'products.product_id');
  assert.equal(productId.primaryKey, undefined); // false flags are left out
  for (const table of output.tables) for (const column of table.columns) assert.ok((column.samples as unknown[]).length <= 3);
  assert.ok(JSON.stringify(output).length < 12_000, 'compact enough for a prompt');
  // Tolerant of a model sending null or extra keys.
  assert.equal((await tools.execute('describe_dataset', null)).isError, false);
  assert.equal((await tools.execute('describe_dataset', 'tables please')).isError, true);
});

test('run_query answers a valid query; the summary tells the size, never the data', async () => {
  const result = await tools.execute('run_query', {
    sql: "SELECT c.region, round(sum(l.line_total), 2) AS revenue FROM order_lines l JOIN orders o USING (order_id) JOIN customers c USING (customer_id) WHERE o.status <> 'cancelled' GROUP BY c.region ORDER BY revenue DESC",
  });
  assert.equal(result.isError, false);
  const output = result.output as { columns: string[]; rows: unknown[][]; rowCount: number; truncated: boolean };
  assert.deepEqual(output.columns, ['region', 'revenue']);
  assert.equal(output.rowCount, 4);
  assert.equal(output.truncated, false);
  assert.match(result.summary, /^run_query: 4 rows in \d+ ms$/);
  assert.ok(!result.summary.includes('Europe'));

  const many = await tools.execute('run_query', { sql: 'SELECT * FROM orders' });
  assert.equal(many.isError, false);
  assert.equal((many.output as { rowCount: number }).rowCount, 200);
  assert.match((many.output as { note: string }).note, /first 200 rows/);
  assert.match(many.summary, /200 rows \(truncated\)/);
});

test('invalid input is an error result, not a throw', async () => {
  for (const input of [{}, { sql: '' }, { sql: 42 }, { sql: 'x'.repeat(10_001) }, 'SELECT 1', null, undefined]) {
    const result = await tools.execute('run_query', input);
    assert.equal(result.isError, true, JSON.stringify(input));
    assert.equal(errorOf(result.output).code, 'invalid_input');
    assert.match(errorOf(result.output).message, /"sql"/);
  }
  const unknown = await tools.execute('drop_everything', {});
  assert.equal(unknown.isError, true);
  assert.equal(errorOf(unknown.output).code, 'unknown_tool');
  assert.match(errorOf(unknown.output).message, /describe_dataset, run_query/);
});

test('SQL errors and refused writes reach the model as error results; the dataset is unchanged', async () => {
  const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const typo = await tools.execute('run_query', { sql: 'SELECT total FROM orders' });
  assert.equal(typo.isError, true);
  assert.equal(errorOf(typo.output).code, 'sql_error');
  assert.match(errorOf(typo.output).message, /no such column: total/);
  assert.equal(typo.summary, 'run_query: error (sql_error)');

  for (const sql of ['DELETE FROM orders', `ATTACH '${path.join(dir, 'x.db')}' AS x`]) {
    const refused = await tools.execute('run_query', { sql });
    assert.equal(refused.isError, true);
    assert.equal(errorOf(refused.output).code, 'not_read_only');
  }
  assert.equal(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'), before);
  assert.equal(fs.existsSync(path.join(dir, 'x.db')), false);
});

test('a timeout is reported to the model with advice', async () => {
  const slow = createAgentTools(source, { timeoutMs: 300 });
  const result = await slow.execute('run_query', {
    sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c',
  });
  assert.equal(result.isError, true);
  assert.equal(errorOf(result.output).code, 'timeout');
  assert.match(errorOf(result.output).message, /stopped/);
});
