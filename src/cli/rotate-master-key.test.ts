// The command as an operator runs it: a real process on a SQLite data dir with a key file, twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { Secret } from '../vault/secret.ts';
import { openVault } from '../vault/vault.ts';

const main = path.resolve(import.meta.dirname, '../main.ts');
const logger = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

function runCli(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, MOSAIC_DATA_DIR: dataDir };
  delete env.MOSAIC_MASTER_KEY;
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('rotate-master-key adds a key to the key file, re-wraps, reports what can be dropped; secrets still read', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-rotate-cli-'));
  try {
    const config = loadConfig({ MOSAIC_DATA_DIR: dataDir });
    const tenant = newId();
    let secretId: string;
    let oldId: string;
    {
      const { db } = openDb({ databaseUrl: null, sqlitePath: path.join(dataDir, 'mosaic.db') });
      await migrateToLatest(db);
      const vault = await openVault({ config, db, logger, clock: new ManualClock() });
      oldId = vault.keyring.ring.current.id;
      secretId = await vault.storeSecret(db, tenant, 'provider-api-key', new Secret('sk-before-rotation'));
      await db.destroy();
    }

    const first = await runCli(dataDir, ['rotate-master-key']);
    assert.equal(first.code, 0, first.stderr);
    const keyLines = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim().split('\n');
    assert.equal(keyLines.length, 2);
    assert.match(first.stdout, /Added a new current master key [0-9a-f]{16} at the top of .*master\.key/);
    assert.match(first.stdout, /Re-wrapped 1 tenant data key\(s\)/);
    assert.match(first.stdout, new RegExp(`Can be dropped now: ${oldId}\\. To drop a key, delete its line from .*master\\.key`));
    assert.match(first.stdout, new RegExp(`${oldId}  unused — can be dropped .*line 2 of`));
    for (const line of keyLines) assert.ok(!first.stdout.includes(line) && !first.stderr.includes(line), 'no key material printed');

    {
      const { db } = openDb({ databaseUrl: null, sqlitePath: path.join(dataDir, 'mosaic.db') });
      const vault = await openVault({ config, db, logger, clock: new ManualClock() });
      assert.equal((await vault.readSecret(db, tenant, secretId, 'provider-api-key')).reveal(), 'sk-before-rotation');
      await db.destroy();
    }

    const help = await runCli(dataDir, ['--help']);
    assert.match(help.stdout, /rotate-master-key/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
