import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { createTestDb, dialectsUnderTest } from '../testing/test-db.ts';
import { masterKeyId, parseKeyring } from './master-keyring.ts';
import { Secret } from './secret.ts';
import { openVault } from './vault.ts';
import { VaultError } from './vault-error.ts';

const newKey = () => crypto.randomBytes(32).toString('base64');
const env = (text: string) => ({ kind: 'env' as const, text });

function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
  return { logger, lines };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-keyring-'));
}

function misconfigured(pattern: RegExp, secretText?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof VaultError, `expected a VaultError, got ${String(e)}`);
    assert.equal(e.reason, 'misconfigured');
    assert.equal(e.status, 500);
    assert.match(e.message, pattern);
    if (secretText) assert.ok(!e.message.includes(secretText), 'the message must not repeat key material');
    return true;
  };
}

test('MOSAIC_MASTER_KEY: several keys, the first current; bad entries name their position and the fix', () => {
  const [a, b] = [newKey(), newKey()];
  const ring = parseKeyring(` ${a} , ${b},`, env(''));
  assert.deepEqual(ring.ids(), [masterKeyId(Buffer.from(a, 'base64')), masterKeyId(Buffer.from(b, 'base64'))]);
  assert.equal(ring.current.id, ring.ids()[0]);
  assert.match(ring.current.id, /^[0-9a-f]{16}$/);
  // url-safe base64 is the same key
  assert.equal(parseKeyring(Buffer.from(a, 'base64').toString('base64url'), env('')).current.id, ring.current.id);

  const short = crypto.randomBytes(16).toString('base64');
  assert.throws(() => parseKeyring(`${a},${short}`, env('')), misconfigured(/Key 2 of MOSAIC_MASTER_KEY decodes to 16 bytes; it must be exactly 32.*openssl rand -base64 32/, short));
  assert.throws(() => parseKeyring(`${a},not base64!`, env('')), misconfigured(/Key 2 of MOSAIC_MASTER_KEY is not valid base64/, 'not base64!'));
  assert.throws(() => parseKeyring(' , ', env('')), misconfigured(/MOSAIC_MASTER_KEY holds no key/));
});

test('a master key prints as its id only; the id does not reveal the key', () => {
  const text = newKey();
  const key = parseKeyring(text, env('')).current;
  for (const printed of [inspect(key), JSON.stringify({ key }), inspect(parseKeyring(text, env('')), { depth: 5 })]) {
    assert.ok(!printed.includes(text) && !printed.includes(Buffer.from(text, 'base64').toString('hex')), printed);
  }
  assert.equal(key.id, masterKeyId(Buffer.from(text, 'base64')));
  assert.notEqual(key.id, Buffer.from(text, 'base64').toString('hex').slice(0, 16));
});

test('key file: generated on first start with mode 0600 (creating the data dir), then reused', async () => {
  const dir = tempDir();
  const dataDir = path.join(dir, 'nested', 'data');
  const t = await createTestDb('sqlite');
  try {
    const config = loadConfig({ MOSAIC_DATA_DIR: dataDir });
    const first = capturingLogger();
    const vault = await openVault({ config, db: t.db, logger: first.logger, clock: new ManualClock() });
    const file = path.join(dataDir, 'master.key');
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(Buffer.from(lines[0]!, 'base64').length, 32);
    assert.equal(vault.keyring.ring.current.id, masterKeyId(Buffer.from(lines[0]!, 'base64')));
    assert.ok(first.lines.some((l) => l.includes('generated a new master key file')));
    assert.ok(!first.lines.join('').includes(lines[0]!));

    const tenant = newId();
    const id = await vault.storeSecret(t.db, tenant, 'p', new Secret('kept across restarts'));
    const second = capturingLogger();
    const reopened = await openVault({ config, db: t.db, logger: second.logger, clock: new ManualClock() });
    assert.equal(reopened.keyring.ring.current.id, vault.keyring.ring.current.id);
    assert.equal(fs.readFileSync(file, 'utf8').trim(), lines[0]);
    assert.ok(!second.lines.some((l) => l.includes('generated a new master key file')));
    assert.equal((await reopened.readSecret(t.db, tenant, id, 'p')).reveal(), 'kept across restarts');
  } finally {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('key file: a looser mode is used but warned about; a bad file or a directory is a clear error', async () => {
  const dir = tempDir();
  const t = await createTestDb('sqlite');
  try {
    const config = loadConfig({ MOSAIC_DATA_DIR: dir });
    const file = path.join(dir, 'master.key');
    const key = newKey();
    fs.writeFileSync(file, `# kept by ops\n${key}\n\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const { logger, lines } = capturingLogger();
    const vault = await openVault({ config, db: t.db, logger, clock: new ManualClock() });
    assert.equal(vault.keyring.ring.current.id, masterKeyId(Buffer.from(key, 'base64')));
    if (process.platform !== 'win32') assert.ok(lines.some((l) => l.includes(`chmod 600 ${file}`)), 'warns with the fix');

    fs.writeFileSync(file, `${key}\n${key.slice(0, 20)}\n`);
    await assert.rejects(openVault({ config, db: t.db, logger, clock: new ManualClock() }), misconfigured(/Line 2 of .*master\.key decodes to \d+ bytes/, key.slice(0, 20)));

    fs.rmSync(file);
    fs.mkdirSync(file);
    await assert.rejects(openVault({ config, db: t.db, logger, clock: new ManualClock() }), misconfigured(/is not a regular file/));
  } finally {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const kind of dialectsUnderTest()) {
  test(`${kind}: data keys wrapped by a key not in the ring → a clear error at open naming the key id and the fix`, async () => {
    const dir = tempDir();
    const t = await createTestDb(kind);
    try {
      const { logger } = capturingLogger();
      const clock = new ManualClock();
      const oldKey = newKey();
      const oldId = masterKeyId(Buffer.from(oldKey, 'base64'));
      const vault = await openVault({ config: loadConfig({ MOSAIC_MASTER_KEY: oldKey, MOSAIC_DATA_DIR: dir }), db: t.db, logger, clock });
      await vault.storeSecret(t.db, newId(), 'p', new Secret('needs the old key'));

      // A different key in MOSAIC_MASTER_KEY: refused at open, not garbage later.
      const wrong = newKey();
      await assert.rejects(
        openVault({ config: loadConfig({ MOSAIC_MASTER_KEY: wrong, MOSAIC_DATA_DIR: dir }), db: t.db, logger, clock }),
        misconfigured(new RegExp(`master key id\\(s\\) ${oldId} \\(1 tenant data key\\(s\\)\\), which MOSAIC_MASTER_KEY does not hold.*add the missing key\\(s\\) back to MOSAIC_MASTER_KEY`), wrong),
      );

      // No MOSAIC_MASTER_KEY and no key file: refused, and no fresh key file is generated.
      const fileConfig = loadConfig({ MOSAIC_DATA_DIR: dir });
      await assert.rejects(
        openVault({ config: fileConfig, db: t.db, logger, clock }),
        misconfigured(new RegExp(`master key file .*master\\.key is missing.*${oldId}.*restore master\\.key from your backup`)),
      );
      assert.equal(fs.existsSync(path.join(dir, 'master.key')), false);

      // The key file holds the old key, but MOSAIC_MASTER_KEY (which wins) does not: the error points at the file.
      fs.writeFileSync(path.join(dir, 'master.key'), `${oldKey}\n`, { mode: 0o600 });
      await assert.rejects(
        openVault({ config: loadConfig({ MOSAIC_MASTER_KEY: wrong, MOSAIC_DATA_DIR: dir }), db: t.db, logger, clock }),
        misconfigured(new RegExp(`The key file .*master\\.key holds ${oldId}`), oldKey),
      );
      // …and with the key file itself, it opens.
      await openVault({ config: fileConfig, db: t.db, logger, clock });
    } finally {
      await t.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
