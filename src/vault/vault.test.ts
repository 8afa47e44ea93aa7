import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../ids.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { Secret } from './secret.ts';
import { openVault } from './vault.ts';
import { VaultError } from './vault-error.ts';

const PURPOSE = 'provider-api-key';

async function withContext(kind: 'sqlite' | 'postgres', fn: (ctx: TestContext) => Promise<void>, sqlitePath?: string): Promise<void> {
  const ctx = await createTestContext(kind, { sqlitePath });
  try {
    await fn(ctx);
  } finally {
    await ctx.cleanup();
  }
}

const isVaultError = (reason: string) => (e: unknown) => e instanceof VaultError && e.reason === reason && e.code === 'vault_error';

for (const kind of dialectsUnderTest()) {
  test(`${kind}: a stored secret reads back; the row holds neither the plaintext nor the data key`, () =>
    withContext(kind, async (ctx) => {
      const tenant = newId();
      const id = await ctx.vault.storeSecret(ctx.db, tenant, PURPOSE, new Secret('sk-live-abc'));
      const read = await ctx.vault.readSecret(ctx.db, tenant, id, PURPOSE);
      assert.ok(read instanceof Secret);
      assert.equal(read.reveal(), 'sk-live-abc');
      const row = await ctx.db.selectFrom('secrets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.tenant_id, tenant);
      assert.equal(row.purpose, PURPOSE);
      assert.ok(!row.ciphertext.includes('sk-live'));
      const keys = await ctx.db.selectFrom('tenant_data_keys').selectAll().execute();
      assert.equal(keys.length, 1);
      assert.match(keys[0]!.master_key_id, /^[0-9a-f]{16}$/);
      // Two secrets of one tenant share its data key; a second tenant gets its own.
      await ctx.vault.storeSecret(ctx.db, tenant, PURPOSE, new Secret('second'));
      await ctx.vault.storeSecret(ctx.db, newId(), PURPOSE, new Secret('other tenant'));
      assert.equal((await ctx.db.selectFrom('tenant_data_keys').selectAll().execute()).length, 2);
    }));

  test(`${kind}: a ciphertext moved to another row, tenant or purpose fails to decrypt`, () =>
    withContext(kind, async (ctx) => {
      const tenantA = newId();
      const tenantB = newId();
      const source = await ctx.vault.storeSecret(ctx.db, tenantA, PURPOSE, new Secret('moved-secret'));
      const sameTenantOtherRow = await ctx.vault.storeSecret(ctx.db, tenantA, PURPOSE, new Secret('victim-a'));
      const otherTenantRow = await ctx.vault.storeSecret(ctx.db, tenantB, PURPOSE, new Secret('victim-b'));
      const { ciphertext } = await ctx.db.selectFrom('secrets').select('ciphertext').where('id', '=', source).executeTakeFirstOrThrow();

      await ctx.db.updateTable('secrets').set({ ciphertext }).where('id', '=', sameTenantOtherRow).execute();
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantA, sameTenantOtherRow, PURPOSE), isVaultError('unreadable'));

      await ctx.db.updateTable('secrets').set({ ciphertext }).where('id', '=', otherTenantRow).execute();
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantB, otherTenantRow, PURPOSE), isVaultError('unreadable'));

      // The whole row moved to tenant B (same id): B's data key and B's tenant id in the AAD both refuse it.
      await ctx.db.updateTable('secrets').set({ tenant_id: tenantB }).where('id', '=', source).execute();
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantB, source, PURPOSE), isVaultError('unreadable'));
      await ctx.db.updateTable('secrets').set({ tenant_id: tenantA }).where('id', '=', source).execute();

      // Asked for under another purpose, or with its purpose column rewritten.
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantA, source, 'webhook-secret'), isVaultError('unreadable'));
      await ctx.db.updateTable('secrets').set({ purpose: 'webhook-secret' }).where('id', '=', source).execute();
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantA, source, 'webhook-secret'), isVaultError('unreadable'));
      await ctx.db.updateTable('secrets').set({ purpose: PURPOSE }).where('id', '=', source).execute();

      // Untouched, it still reads: the failures above were the binding, not a broken row.
      assert.equal((await ctx.vault.readSecret(ctx.db, tenantA, source, PURPOSE)).reveal(), 'moved-secret');
    }));

  test(`${kind}: reads and deletes are tenant-scoped`, () =>
    withContext(kind, async (ctx) => {
      const tenantA = newId();
      const tenantB = newId();
      const id = await ctx.vault.storeSecret(ctx.db, tenantA, PURPOSE, new Secret('a-secret'));
      await ctx.vault.storeSecret(ctx.db, tenantB, PURPOSE, new Secret('b-secret'));
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantB, id, PURPOSE), isVaultError('missing'));
      await ctx.vault.deleteSecret(ctx.db, tenantB, id);
      assert.equal((await ctx.vault.readSecret(ctx.db, tenantA, id, PURPOSE)).reveal(), 'a-secret');
      await ctx.vault.deleteSecret(ctx.db, tenantA, id);
      await assert.rejects(ctx.vault.readSecret(ctx.db, tenantA, id, PURPOSE), isVaultError('missing'));
      assert.equal((await ctx.db.selectFrom('secrets').selectAll().execute()).length, 1);
    }));

  test(`${kind}: a secret stored in a rolled-back transaction leaves no trace, and the next one works`, () =>
    withContext(kind, async (ctx) => {
      const tenant = newId();
      await assert.rejects(
        ctx.db.transaction().execute(async (tx) => {
          await ctx.vault.storeSecret(tx, tenant, PURPOSE, new Secret('rolled-back'));
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal((await ctx.db.selectFrom('tenant_data_keys').selectAll().execute()).length, 0);
      // The data key made in the rolled-back transaction must not be reused from memory.
      const id = await ctx.db.transaction().execute((tx) => ctx.vault.storeSecret(tx, tenant, PURPOSE, new Secret('kept')));
      const fresh = await openVault({ config: ctx.config, db: ctx.db, logger: ctx.logger, clock: ctx.clock });
      assert.equal((await fresh.readSecret(ctx.db, tenant, id, PURPOSE)).reveal(), 'kept');
    }));

  test(`${kind}: concurrent first secrets of a tenant, from two instances, end with one data key`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-vault-'));
    try {
      await withContext(
        kind,
        async (ctx) => {
          const second = ctx.testDb.reopen();
          try {
            const other = await openVault({ config: ctx.config, db: second.db, logger: ctx.logger, clock: ctx.clock });
            const tenant = newId();
            const writes = Array.from({ length: 8 }, (_, i) =>
              (i % 2 === 0 ? ctx.vault.storeSecret(ctx.db, tenant, PURPOSE, new Secret(`s${i}`)) : other.storeSecret(second.db, tenant, PURPOSE, new Secret(`s${i}`))),
            );
            const ids = await Promise.all(writes);
            const keys = await ctx.db.selectFrom('tenant_data_keys').selectAll().where('tenant_id', '=', tenant).execute();
            assert.equal(keys.length, 1);
            for (const [i, id] of ids.entries()) {
              assert.equal((await ctx.vault.readSecret(ctx.db, tenant, id, PURPOSE)).reveal(), `s${i}`);
              assert.equal((await other.readSecret(second.db, tenant, id, PURPOSE)).reveal(), `s${i}`);
            }
          } finally {
            await second.db.destroy();
          }
        },
        kind === 'sqlite' ? path.join(dir, 'mosaic.db') : undefined,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('VaultError answers HTTP in the contract shape: 422 for a stored secret, 500 only for misconfiguration', () => {
  const unreadable = new VaultError('unreadable', 'x');
  assert.equal(unreadable.status, 422);
  assert.deepEqual(unreadable.toBody(), { error: { code: 'vault_error', message: 'x' } });
  assert.equal(new VaultError('missing', 'x').status, 422);
  assert.equal(new VaultError('misconfigured', 'x').status, 500);
});
