import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock } from '../clock.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { createTestDb, dialectsUnderTest, type TestDb } from '../testing/test-db.ts';
import { masterKeyId } from './master-keyring.ts';
import { Secret } from './secret.ts';
import { openVault, type MosaicVault } from './vault.ts';
import { VaultError } from './vault-error.ts';

const PURPOSE = 'provider-api-key';
const logger = createLogger({ level: 'debug', destination: new Writable({ write: (_c, _e, done) => done() }) });
const clock = new ManualClock();

interface Stored {
  tenant: string;
  id: string;
  value: string;
}

interface Setup {
  t: TestDb;
  dir: string;
  config: Config;
  keyFile: string;
  open(config?: Config, db?: Db): Promise<MosaicVault>;
  storeFor(vault: MosaicVault, tenants: number): Promise<Stored[]>;
  assertAllReadable(vault: MosaicVault, stored: Stored[], db?: Db): Promise<void>;
  masterKeyIds(): Promise<string[]>;
}

async function withSetup(kind: 'sqlite' | 'postgres', fn: (s: Setup) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-rotation-'));
  const t = await createTestDb(kind, kind === 'sqlite' ? { sqlitePath: path.join(dir, 'mosaic.db') } : {});
  const config = loadConfig({ MOSAIC_DATA_DIR: dir });
  const setup: Setup = {
    t,
    dir,
    config,
    keyFile: path.join(dir, 'master.key'),
    open: (c = config, db = t.db) => openVault({ config: c, db, logger, clock }),
    async storeFor(vault, tenants) {
      const stored: Stored[] = [];
      for (let i = 0; i < tenants; i++) {
        const tenant = newId();
        for (const value of [`key-${i}-a`, `key-${i}-b`]) stored.push({ tenant, value, id: await vault.storeSecret(t.db, tenant, PURPOSE, new Secret(value)) });
      }
      return stored;
    },
    async assertAllReadable(vault, stored, db = t.db) {
      for (const s of stored) assert.equal((await vault.readSecret(db, s.tenant, s.id, PURPOSE)).reveal(), s.value);
    },
    async masterKeyIds() {
      const rows = await t.db.selectFrom('tenant_data_keys').select('master_key_id').orderBy('tenant_id').execute();
      return rows.map((r) => r.master_key_id);
    },
  };
  try {
    await fn(setup);
  } finally {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fileKeyIds = (file: string) =>
  fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => masterKeyId(Buffer.from(line, 'base64')));

for (const kind of dialectsUnderTest()) {
  test(`${kind}: rotation with the key file adds a current key, re-wraps every data key, and secrets still decrypt`, () =>
    withSetup(kind, async (s) => {
      const before = await s.open();
      const stored = await s.storeFor(before, 4);
      const oldId = before.keyring.ring.current.id;
      // A second instance, running since before the rotation, on its own connection, with warm caches.
      const second = s.t.reopen();
      try {
        const running = await s.open(s.config, second.db);
        const idle = await s.open(s.config, second.db);
        await s.assertAllReadable(running, stored, second.db);

        const result = await (await s.open()).rotate();

        const [newId_, old] = fileKeyIds(s.keyFile);
        assert.equal(old, oldId, 'the old key stays in the file, second');
        assert.equal(result.addedKeyId, newId_);
        assert.equal(result.currentKeyId, newId_);
        if (process.platform !== 'win32') assert.equal(fs.statSync(s.keyFile).mode & 0o777, 0o600);
        assert.equal(result.rewrapped, 4);
        assert.deepEqual(await s.masterKeyIds(), [newId_, newId_, newId_, newId_]);
        assert.deepEqual(
          result.usage.map((k) => [k.id, k.current, k.dataKeys, k.droppable]),
          [[newId_, true, 4, false], [oldId, false, 0, true]],
        );

        await s.assertAllReadable(before, stored);
        await s.assertAllReadable(await s.open(), stored);
        // The instance that ran through the rotation re-read the key file when it met the new key id.
        await s.assertAllReadable(running, stored, second.db);
        assert.deepEqual(running.keyring.ring.ids(), [newId_, oldId]);
        // An instance that has not touched a secret since: its first new tenant gets the NEW current key.
        const [fresh] = await s.storeFor(idle, 1);
        const freshRow = await s.t.db.selectFrom('tenant_data_keys').select('master_key_id').where('tenant_id', '=', fresh!.tenant).executeTakeFirstOrThrow();
        assert.equal(freshRow.master_key_id, newId_);
      } finally {
        await second.db.destroy();
      }
    }));

  test(`${kind}: a rotation interrupted half-way leaves everything readable, and running it again finishes it`, () =>
    withSetup(kind, async (s) => {
      const vault = await s.open();
      const stored = await s.storeFor(vault, 6);
      const oldId = vault.keyring.ring.current.id;

      await assert.rejects(
        (await s.open()).rotate({ afterRow: (n) => { if (n === 3) throw new Error('simulated crash after 3 rows'); } }),
        /simulated crash/,
      );
      const [newKeyId] = fileKeyIds(s.keyFile);
      const ids = await s.masterKeyIds();
      assert.equal(ids.filter((id) => id === newKeyId).length, 3);
      assert.equal(ids.filter((id) => id === oldId).length, 3);
      await s.assertAllReadable(vault, stored);
      const halfway = await s.open();
      await s.assertAllReadable(halfway, stored);
      const usage = await halfway.keyUsage();
      assert.deepEqual(usage.map((k) => [k.id, k.dataKeys, k.droppable]), [[newKeyId, 3, false], [oldId, 3, false]], 'the old key is still needed');

      const again = await (await s.open()).rotate();
      assert.equal(again.resumed, true);
      assert.equal(again.addedKeyId, null, 'resuming does not pile up keys');
      assert.equal(again.rewrapped, 3);
      assert.deepEqual(fileKeyIds(s.keyFile), [newKeyId, oldId]);
      assert.deepEqual(again.usage.map((k) => [k.id, k.dataKeys, k.droppable]), [[newKeyId!, 6, false], [oldId, 0, true]]);
      await s.assertAllReadable(vault, stored);
      await s.assertAllReadable(await s.open(), stored);

      // Dropping the old key now loses nothing.
      fs.writeFileSync(s.keyFile, `${fs.readFileSync(s.keyFile, 'utf8').split('\n')[0]}\n`);
      await s.assertAllReadable(await s.open(), stored);
    }));

  test(`${kind}: rotation with MOSAIC_MASTER_KEY uses the key the operator put first`, () =>
    withSetup(kind, async (s) => {
      const [k1, k2] = [crypto.randomBytes(32).toString('base64'), crypto.randomBytes(32).toString('base64')];
      const withKeys = (value: string) => loadConfig({ MOSAIC_DATA_DIR: s.dir, MOSAIC_MASTER_KEY: value });
      const oldInstance = await s.open(withKeys(k1));
      const stored = await s.storeFor(oldInstance, 3);

      const unchanged = await (await s.open(withKeys(k1))).rotate();
      assert.equal(unchanged.nothingToRotate, true);
      assert.equal(unchanged.rewrapped, 0);

      const result = await (await s.open(withKeys(`${k2},${k1}`))).rotate();
      const [id2, id1] = [masterKeyId(Buffer.from(k2, 'base64')), masterKeyId(Buffer.from(k1, 'base64'))];
      assert.equal(result.nothingToRotate, false);
      assert.equal(result.rewrapped, 3);
      assert.deepEqual(result.usage.map((k) => [k.id, k.current, k.droppable, k.where]), [
        [id2, true, false, 'key 1 of MOSAIC_MASTER_KEY'],
        [id1, false, true, 'key 2 of MOSAIC_MASTER_KEY'],
      ]);
      assert.equal(fs.existsSync(s.keyFile), false, 'an env keyring never writes a key file');
      await s.assertAllReadable(await s.open(withKeys(k2)), stored);

      // An instance still running with only the old key cannot guess the new one: a clear error, not garbage.
      await assert.rejects(
        oldInstance.readSecret(s.t.db, stored[0]!.tenant, stored[0]!.id, PURPOSE),
        (e: unknown) => e instanceof VaultError && e.reason === 'misconfigured' && e.message.includes(id2) && !e.message.includes(k2),
      );
    }));

  test(`${kind}: a running vault that meets an unknown key id re-reads its source, then fails clearly`, () =>
    withSetup(kind, async (s) => {
      const vault = await s.open();
      const [stored] = await s.storeFor(vault, 1);
      await s.t.db.updateTable('tenant_data_keys').set({ master_key_id: 'ffffffffffffffff' }).execute();
      await assert.rejects(
        vault.readSecret(s.t.db, stored!.tenant, stored!.id, PURPOSE),
        (e: unknown) => e instanceof VaultError && e.status === 500 && /master key id ffffffffffffffff, which is not in the master key file .* \(re-read just now\)/.test(e.message),
      );
    }));
}
