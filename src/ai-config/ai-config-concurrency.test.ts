// Two admins at once never leave a half state: of concurrent first saves exactly one becomes active, and
// an activation racing a delete of the same provider never leaves the tenant pointing at nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../sim/simulator.ts';
import { seedTenant } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { AppError } from '../server/errors.ts';
import { Secret } from '../vault/secret.ts';
import { activateProvider } from './activate-provider.ts';
import { addProvider } from './add-provider.ts';
import { aiConfigDeps, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { closeConfigCache } from './config-cache.ts';
import { deleteProvider } from './delete-provider.ts';
import { getActiveProvider } from './resolve-active-provider.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

const settle = async <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      if (error instanceof AppError) return { ok: false as const, error };
      throw error;
    },
  );

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: concurrent configuration changes`, () => {
    let sim: Sim;
    let ctx: TestContext;
    let deps: AiConfigDeps;
    before(async () => {
      sim = await startSimulator();
      ctx = await createTestContext(kind);
      deps = aiConfigDeps(ctx);
    });
    after(async () => {
      await closeConfigCache(ctx);
      await ctx.cleanup();
      await sim.close();
    });

    const add = (actor: Actor, activate?: boolean) =>
      addProvider(deps, actor, {
        kind: 'openai',
        apiKey: new Secret(sim.openai.apiKey),
        baseUrl: sim.openai.baseUrl,
        models: { orchestrator: 'gpt-4o' },
        activate,
      });

    it('concurrent first saves: exactly one becomes active', async () => {
      const { tenant, admin } = await seedTenant(ctx);
      const actor: Actor = { tenantId: tenant.id, userId: admin.id, email: admin.email };
      const saved = await Promise.all(Array.from({ length: 6 }, () => add(actor)));
      assert.equal(saved.filter((p) => p.active).length, 1);
      const winner = saved.find((p) => p.active)!;
      const settings = await ctx.db.selectFrom('tenant_settings').selectAll().where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
      assert.equal(settings.active_provider_id, winner.id);
      assert.equal(settings.config_version, 6, 'each save bumped the version once');
      assert.equal((await getActiveProvider(ctx, tenant.id))?.providerId, winner.id);
    });

    it('activate racing delete of the same provider: the active provider always exists', async () => {
      const { tenant, admin } = await seedTenant(ctx);
      const actor: Actor = { tenantId: tenant.id, userId: admin.id, email: admin.email };
      const first = await add(actor);
      assert.equal(first.active, true);
      const outcomes = new Set<string>();
      for (let round = 0; round < 8; round++) {
        const other = await add(actor);
        const [activated, deleted] = await Promise.all([settle(activateProvider(deps, actor, other.id)), settle(deleteProvider(deps, actor, other.id))]);
        // Exactly one of the two wins, and the loser says why.
        if (activated.ok) {
          assert.equal(deleted.ok, false);
          assert.equal(!deleted.ok && deleted.error.code, 'provider_in_use');
          outcomes.add('activated');
        } else {
          assert.equal(activated.error.code, 'not_found');
          assert.equal(deleted.ok, true);
          outcomes.add('deleted');
        }
        const settings = await ctx.db.selectFrom('tenant_settings').select('active_provider_id').where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
        assert.ok(settings.active_provider_id !== null);
        const row = await ctx.db.selectFrom('provider_connections').select('id').where('id', '=', settings.active_provider_id).executeTakeFirst();
        assert.ok(row, 'active_provider_id never dangles');
        // Put the original back in charge for the next round.
        await activateProvider(deps, actor, first.id);
      }
      assert.ok(outcomes.size >= 1);
    });

    it('an explicit activate on save switches at once', async () => {
      const { tenant, admin } = await seedTenant(ctx);
      const actor: Actor = { tenantId: tenant.id, userId: admin.id, email: admin.email };
      const first = await add(actor);
      const second = await add(actor, true);
      assert.equal(second.active, true);
      assert.equal((await getActiveProvider(ctx, tenant.id))?.providerId, second.id);
      assert.notEqual(first.id, second.id);
    });
  });
}
