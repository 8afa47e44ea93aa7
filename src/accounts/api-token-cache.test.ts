// Cached bearer-token lookups (issue 8) must never outlive a change to the token or its owner: revoking
// the token, disabling the owner, changing their roles or resetting their password holds on the very
// next request on the instance that made the change, and within a second on another instance sharing
// the database (PostgreSQL: NOTIFY; SQLite: version polling).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../app-context.ts';
import { closeConfigCache } from '../ai-config/config-cache.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { createUser, seedTenant } from '../testing/factories.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { createApiToken, resolveApiToken, revokeApiToken } from './api-tokens.ts';
import { updateUser } from './users.ts';

async function within(ms: number, check: () => Promise<boolean>): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not seen within ${ms} ms`);
}

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: cached bearer tokens`, () => {
    let ctx: TestContext;
    let second: AppContext;
    let dir: string | null = null;
    let seeded: Awaited<ReturnType<typeof seedTenant>>;
    // Each test has its own user (an explicit, random email) in the one seeded tenant.
    const newUser = () => createUser(ctx, seeded.tenant.id, { email: `token-cache-${randomUUID()}@example.test` });
    before(async () => {
      if (kind === 'sqlite') dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-token-cache-'));
      ctx = await createTestContext(kind, dir ? { sqlitePath: path.join(dir, 'mosaic.db') } : {});
      const opened = ctx.testDb.reopen();
      second = { ...ctx, db: opened.db, pgPool: opened.pgPool };
      seeded = await seedTenant(ctx);
    });
    after(async () => {
      await closeConfigCache(second);
      await closeConfigCache(ctx);
      await second.db.destroy();
      await ctx.cleanup();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    async function setUp() {
      const { tenant, admin } = seeded;
      const user = await newUser();
      const owner = { userId: user.id, tenantId: tenant.id, email: user.email };
      const created = await createApiToken(ctx, owner, { name: 'cli' });
      // Both instances have resolved (and cached) the token.
      for (const instance of [ctx, second]) assert.equal((await resolveApiToken(instance, created.token))?.userId, user.id);
      const actor = { id: admin.id, email: admin.email };
      return { tenant, user, owner, created, actor };
    }

    it('a revoked token stops at once here and within a second on another instance', async () => {
      const { owner, created } = await setUp();
      assert.equal(await revokeApiToken(ctx, owner, created.id), true);
      assert.equal(await resolveApiToken(ctx, created.token), null);
      await within(1000, async () => (await resolveApiToken(second, created.token)) === null);
      for (let i = 0; i < 10; i++) assert.equal(await resolveApiToken(second, created.token), null, 'never again');
    });

    it('disabling the owner, changing roles and resetting the password take effect on the next request', async () => {
      const { tenant, user, created, actor } = await setUp();
      await updateUser(ctx, { tenantId: tenant.id, userId: user.id, actor, patch: { roles: ['member', 'tenant_admin'] } });
      assert.deepEqual((await resolveApiToken(ctx, created.token))?.roles, ['member', 'tenant_admin']);
      await within(1000, async () => (await resolveApiToken(second, created.token))?.roles.includes('tenant_admin') === true);

      await updateUser(ctx, { tenantId: tenant.id, userId: user.id, actor, patch: { disabled: true } });
      assert.equal(await resolveApiToken(ctx, created.token), null);
      await within(1000, async () => (await resolveApiToken(second, created.token)) === null);

      await updateUser(ctx, { tenantId: tenant.id, userId: user.id, actor, patch: { disabled: false } });
      assert.equal((await resolveApiToken(ctx, created.token))?.userId, user.id);
      // A password reset bumps the version too: the next lookup reads the row again.
      await updateUser(ctx, { tenantId: tenant.id, userId: user.id, actor, patch: { password: 'a-new-password-123' } });
      assert.equal((await resolveApiToken(ctx, created.token))?.userId, user.id);
    });

    it('an expired token stops even while cached', async () => {
      const user = await newUser();
      const created = await createApiToken(ctx, { userId: user.id, tenantId: seeded.tenant.id, email: user.email }, { name: 'short', expiresInDays: 1 });
      assert.equal((await resolveApiToken(ctx, created.token))?.userId, user.id);
      ctx.clock.advance(24 * 60 * 60 * 1000 + 1);
      assert.equal(await resolveApiToken(ctx, created.token), null);
    });

    it('a caller handed out cannot change what the next request sees', async () => {
      const { created } = await setUp();
      const caller = (await resolveApiToken(ctx, created.token))!;
      (caller.roles as string[]).push('global_admin');
      assert.deepEqual((await resolveApiToken(ctx, created.token))?.roles, ['member']);
    });
  });
}
