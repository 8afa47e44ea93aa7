import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { startSqliteCheckpointer } from './sqlite-checkpointer.ts';

function openWal(file: string): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

test('the worker copies the WAL into the database while the connection never checkpoints itself', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-ckpt-'));
  const file = path.join(dir, 'm.db');
  const db = openWal(file);
  db.exec('create table t (id integer primary key, v text)');
  const checkpointer = startSqliteCheckpointer(db, file, 50);
  try {
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
    const sizeBefore = fs.statSync(file).size;
    const insert = db.prepare('insert into t (v) values (?)');
    // 3,000 pages of WAL: far past the 1,000 at which a commit would have checkpointed on its own.
    for (let i = 0; i < 300; i++) db.transaction(() => { for (let j = 0; j < 10; j++) insert.run('x'.repeat(4000)); })();
    const deadline = Date.now() + 5000;
    while (fs.statSync(file).size <= sizeBefore + 3000 * 4000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(fs.statSync(file).size > sizeBefore + 3000 * 4000, 'the rows reached the database file');
  } finally {
    await checkpointer.stop();
  }
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000, 'stopped: back to automatic checkpoints');
  assert.equal((db.prepare('select count(*) as n from t').get() as { n: number }).n, 3000);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a worker that cannot start leaves the connection on automatic checkpoints', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-ckpt-'));
  const db = openWal(path.join(dir, 'm.db'));
  // A path where no database can be opened: the worker throws at start and exits.
  const checkpointer = startSqliteCheckpointer(db, path.join(dir, 'missing', 'dir', 'm.db'), 50);
  const deadline = Date.now() + 5000;
  while (db.pragma('wal_autocheckpoint', { simple: true }) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  await checkpointer.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
