// A webhook URL an earlier version stored in plain text is sealed into the vault at start, once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../ids.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { Secret } from '../vault/secret.ts';
import { readBudgetSettings } from './limits.ts';
import { WEBHOOK_SECRET_PURPOSE } from './sealed-webhook.ts';
import { sealPlaintextWebhooks } from './seal-plaintext-webhooks.ts';

const LEGACY = 'https://hooks.example.com/services/T0/B0/legacy-secret-token';

async function legacyRow(ctx: TestContext, tenantId: string, url: string | null, secretId: string | null = null): Promise<void> {
  await ctx.db
    .insertInto('tenant_settings')
    .values({
      tenant_id: tenantId, active_provider_id: null, monthly_budget_micros: 1_000_000, alert_at_pct: 80, per_user_monthly_budget_micros: null,
      max_agent_steps: 8, alert_webhook_url: url, alert_webhook_secret_id: secretId, alert_webhook_origin: secretId === null ? null : 'https://old.example.com',
      config_version: 3, updated_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: sealing plaintext webhook URLs`, () => {
    it('seals each one, clears the plaintext, bumps the version, and does nothing the second time', async () => {
      const ctx = await createTestContext(kind);
      try {
        const [legacy, none] = [newId(), newId()];
        await legacyRow(ctx, legacy, LEGACY);
        await legacyRow(ctx, none, null);
        assert.equal(await sealPlaintextWebhooks(ctx), 1);
        const row = await ctx.db.selectFrom('tenant_settings').selectAll().where('tenant_id', '=', legacy).executeTakeFirstOrThrow();
        assert.equal(row.alert_webhook_url, null);
        assert.equal(row.alert_webhook_origin, 'https://hooks.example.com');
        assert.equal(Number(row.config_version), 4, 'cached settings elsewhere are refreshed');
        assert.equal((await ctx.vault.readSecret(ctx.db, legacy, row.alert_webhook_secret_id!, WEBHOOK_SECRET_PURPOSE)).reveal(), LEGACY);
        assert.deepEqual((await readBudgetSettings(ctx.db, legacy)).alertWebhook, { secretId: row.alert_webhook_secret_id, origin: 'https://hooks.example.com' });
        const untouched = await ctx.db.selectFrom('tenant_settings').selectAll().where('tenant_id', '=', none).executeTakeFirstOrThrow();
        assert.deepEqual([untouched.alert_webhook_secret_id, Number(untouched.config_version)], [null, 3]);
        assert.equal(await sealPlaintextWebhooks(ctx), 0);
        assert.ok(ctx.logs.some((l) => l.includes('were sealed in the vault')) && !ctx.logs.join('').includes('legacy-secret-token'));
      } finally {
        await ctx.cleanup();
      }
    });

    it('a plaintext URL written by an older instance beside a sealed one replaces it (the older code wrote last)', async () => {
      const ctx = await createTestContext(kind);
      try {
        const tenantId = newId();
        const stale = await ctx.vault.storeSecret(ctx.db, tenantId, WEBHOOK_SECRET_PURPOSE, new Secret('https://old.example.com/x'));
        await legacyRow(ctx, tenantId, LEGACY, stale);
        assert.equal(await sealPlaintextWebhooks(ctx), 1);
        const row = await ctx.db.selectFrom('tenant_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
        assert.notEqual(row.alert_webhook_secret_id, stale);
        assert.equal((await ctx.vault.readSecret(ctx.db, tenantId, row.alert_webhook_secret_id!, WEBHOOK_SECRET_PURPOSE)).reveal(), LEGACY);
        assert.equal((await ctx.db.selectFrom('secrets').select('id').where('id', '=', stale).execute()).length, 0, 'the replaced secret is deleted');
      } finally {
        await ctx.cleanup();
      }
    });
  });
}
