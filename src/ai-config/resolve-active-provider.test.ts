// What the chat reads: the active provider and decrypted settings, cached per config_version. A second
// instance on the same database (PostgreSQL: LISTEN/NOTIFY; SQLite: version polling) sees a rotation or
// a switch within a second and never uses the rotated-out key after that.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../sim/simulator.ts';
import type { AppContext } from '../app-context.ts';
import { seedTenant } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { openVault } from '../vault/vault.ts';
import { Secret } from '../vault/secret.ts';
import { activateProvider } from './activate-provider.ts';
import { addProvider } from './add-provider.ts';
import { aiConfigDeps, type Actor } from './ai-config-deps.ts';
import { closeConfigCache, configCacheFor } from './config-cache.ts';
import { deactivateAi } from './deactivate-ai.ts';
import { getActiveProvider, getConnectionSettings } from './resolve-active-provider.ts';
import { rotateKey } from './rotate-key.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** Polls `read` until it returns true; returns the time it took. */
async function within(ms: number, read: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await read()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not seen within ${ms} ms`);
}

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: the chat's view of the configuration`, () => {
    let sim: Sim;
    let ctx: TestContext;
    let second: AppContext;
    let dir: string | null = null;
    before(async () => {
      sim = await startSimulator();
      if (kind === 'sqlite') dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-resolve-'));
      ctx = await createTestContext(kind, dir ? { sqlitePath: path.join(dir, 'mosaic.db') } : {});
      const opened = ctx.testDb.reopen();
      second = {
        ...ctx,
        db: opened.db,
        pgPool: opened.pgPool,
        vault: await openVault({ config: ctx.config, db: opened.db, logger: ctx.logger, clock: ctx.clock }),
      };
    });
    after(async () => {
      await closeConfigCache(second);
      await closeConfigCache(ctx);
      await second.db.destroy();
      await ctx.cleanup();
      await sim.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a second instance sees a rotated key within a second and never the old one after', async () => {
      const { tenant, admin } = await seedTenant(ctx);
      const actor: Actor = { tenantId: tenant.id, userId: admin.id, email: admin.email };
      const deps = aiConfigDeps(ctx);
      const oldKey = sim.anthropic.apiKey;
      const newKey = sim.faultKey('anthropic', 'tps:100000');
      const provider = await addProvider(deps, actor, { kind: 'anthropic', apiKey: new Secret(oldKey), baseUrl: sim.anthropic.baseUrl, models: { orchestrator: 'claude-sonnet-4-5-20250929' } });

      // Both instances have read (and cached) the old key.
      for (const instance of [ctx, second]) {
        assert.equal((await getConnectionSettings(instance, tenant.id, provider.id))?.settings.apiKey.reveal(), oldKey);
        assert.equal((await getActiveProvider(instance, tenant.id))?.providerId, provider.id);
      }
      // On PostgreSQL the second instance learns by notification: its cached versions are not re-read.
      assert.equal(configCacheFor(second).listening, kind === 'postgres');

      await rotateKey(deps, actor, provider.id, { apiKey: new Secret(newKey) });
      // The instance that made the change sees it at once.
      assert.equal((await getConnectionSettings(ctx, tenant.id, provider.id))?.settings.apiKey.reveal(), newKey);
      const took = await within(1000, async () => (await getConnectionSettings(second, tenant.id, provider.id))?.settings.apiKey.reveal() === newKey);
      assert.ok(took < 1000);
      for (let i = 0; i < 20; i++) {
        assert.equal((await getConnectionSettings(second, tenant.id, provider.id))?.settings.apiKey.reveal(), newKey, 'never the old key again');
      }
    });

    it('a switch and the kill switch reach the second instance within a second', async () => {
      const { tenant, admin } = await seedTenant(ctx);
      const actor: Actor = { tenantId: tenant.id, userId: admin.id, email: admin.email };
      const deps = aiConfigDeps(ctx);
      const draft = { kind: 'openai' as const, apiKey: new Secret(sim.openai.apiKey), baseUrl: sim.openai.baseUrl, models: { orchestrator: 'gpt-4o' } };
      const a = await addProvider(deps, actor, draft);
      const b = await addProvider(deps, actor, { ...draft, models: { orchestrator: 'gpt-4.1', fast: 'gpt-4.1-mini' } });
      const active = await getActiveProvider(second, tenant.id);
      assert.deepEqual(active, { providerId: a.id, kind: 'openai', label: 'OpenAI', models: { orchestrator: 'gpt-4o', fast: 'gpt-4o-mini' }, azure: null });

      await activateProvider(deps, actor, b.id);
      await within(1000, async () => (await getActiveProvider(second, tenant.id))?.providerId === b.id);
      assert.deepEqual((await getActiveProvider(second, tenant.id))?.models, { orchestrator: 'gpt-4.1', fast: 'gpt-4.1-mini' });

      await deactivateAi(deps, actor);
      assert.equal(await getActiveProvider(ctx, tenant.id), null);
      await within(1000, async () => (await getActiveProvider(second, tenant.id)) === null);
    });

    it('a tenant with nothing configured has no active provider; an unknown provider has no settings', async () => {
      const { tenant } = await seedTenant(ctx);
      assert.equal(await getActiveProvider(ctx, tenant.id), null);
      assert.equal(await getConnectionSettings(ctx, tenant.id, '00000000-0000-4000-8000-000000000000'), null);
    });
  });
}
