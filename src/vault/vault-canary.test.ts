// The canary: a secret stored through the vault must never appear in the SQLite file, its WAL, or
// anything logged — in plain text, base64 or hex. Neither may the master key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { newId } from '../ids.ts';
import { createTestContext } from '../testing/test-context.ts';
import { Secret } from './secret.ts';

const CANARY = `sk-ant-api03-CANARY${'x7Qa9'.repeat(16)}-AAAA`;

function forms(value: string | Buffer): { label: string; bytes: Buffer }[] {
  const raw = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return [
    { label: 'raw', bytes: raw },
    { label: 'base64', bytes: Buffer.from(raw.toString('base64')) },
    { label: 'base64url', bytes: Buffer.from(raw.toString('base64url')) },
    { label: 'hex', bytes: Buffer.from(raw.toString('hex')) },
    // A middle slice: catches a prefix or suffix cut off by redaction code that is half right.
    { label: 'middle', bytes: raw.subarray(8, raw.length - 8) },
  ];
}

function assertAbsent(haystack: Buffer, where: string, what: string, value: string | Buffer): void {
  for (const { label, bytes } of forms(value)) {
    assert.equal(haystack.indexOf(bytes), -1, `${what} (${label}) found in ${where}`);
  }
}

test('sqlite file: a stored canary never appears in mosaic.db, mosaic.db-wal or the logs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-canary-'));
  const dbFile = path.join(dir, 'mosaic.db');
  const ctx = await createTestContext('sqlite', { sqlitePath: dbFile });
  const masterKey = Buffer.from(ctx.config.masterKeyEnv!, 'base64');
  const scan = (moment: string) => {
    for (const file of [dbFile, `${dbFile}-wal`]) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file);
      assertAbsent(bytes, `${path.basename(file)} ${moment}`, 'the canary', CANARY);
      assertAbsent(bytes, `${path.basename(file)} ${moment}`, 'the master key', masterKey);
    }
    const logged = Buffer.from(ctx.logs.join(''), 'utf8');
    assertAbsent(logged, `the logs ${moment}`, 'the canary', CANARY);
    assertAbsent(logged, `the logs ${moment}`, 'the master key', masterKey);
  };
  try {
    const tenant = newId();
    const secret = new Secret(CANARY);
    const id = await ctx.vault.storeSecret(ctx.db, tenant, 'provider-api-key', secret);
    assert.equal((await ctx.vault.readSecret(ctx.db, tenant, id, 'provider-api-key')).reveal(), CANARY);
    assert.ok(fs.statSync(`${dbFile}-wal`).size > 0, 'the write went to the WAL, so the WAL scan means something');

    // Everything that prints a Secret prints the redacted form, whatever the field is called.
    ctx.logger.info({ connection: { key: secret, nested: [secret] }, apiKey: secret }, `stored ${secret}`);
    assert.ok(!inspect({ secret }).includes('CANARY') && !JSON.stringify({ secret }).includes('CANARY') && !`${secret}`.includes('CANARY'));
    // An error on the read path (wrong purpose) is logged the way a route would.
    await ctx.vault.readSecret(ctx.db, tenant, id, 'other-purpose').catch((err: unknown) => ctx.logger.error({ err }, 'vault read failed'));
    assert.ok(ctx.logs.some((line) => line.includes('vault read failed')));

    scan('while open');
    await ctx.cleanup(); // closes the database, checkpointing the WAL into mosaic.db
    scan('after close');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
