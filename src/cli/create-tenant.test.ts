import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDb } from '../db/database.ts';
import { verifyPassword } from '../accounts/passwords.ts';

const run = promisify(execFile);
const main = path.resolve(import.meta.dirname, '../main.ts');

async function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { env: { ...process.env, MOSAIC_DATA_DIR: dataDir, DATABASE_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('create-tenant creates a tenant and admin, prints a generated password once, and refuses duplicates', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-cli-'));
  try {
    const first = await cli(dir, ['create-tenant', '--name', 'Acme', '--admin-email', 'Boss@Acme.test']);
    assert.equal(first.code, 0, first.stderr);
    const password = /Password: (\S+)/.exec(first.stdout)?.[1];
    assert.ok(password && password.length >= 24, first.stdout);

    const given = await cli(dir, ['create-tenant', '--name', 'Globex', '--admin-email', 'hank@globex.test', '--admin-password', 'a-given-password-1']);
    assert.equal(given.code, 0, given.stderr);
    assert.doesNotMatch(given.stdout, /a-given-password-1/, 'a given password is not echoed');

    const dup = await cli(dir, ['create-tenant', '--name', 'acme', '--admin-email', 'other@acme.test']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
    const bad = await cli(dir, ['create-tenant', '--name', 'X', '--admin-email', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--admin-email/);

    const { db } = openDb({ databaseUrl: null, sqlitePath: path.join(dir, 'mosaic.db') });
    try {
      const boss = await db.selectFrom('users').selectAll().where('email', '=', 'boss@acme.test').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(boss.roles), ['member', 'tenant_admin']);
      assert.equal(await verifyPassword(boss.password_hash, password), true);
      assert.equal((await db.selectFrom('tenants').select('id').execute()).length, 2);
    } finally {
      await db.destroy();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
