// Every change to a tenant's AI configuration runs in one of these transactions. Its first write bumps
// tenant_settings.config_version, which takes the row lock on PostgreSQL (SQLite runs one writer at a
// time anyway): two admins' changes to the same tenant are serialised, so checks like "is it active?"
// and "does it still exist?" read what the other change committed — the active provider can never be
// left pointing at a deleted one. The bump also tells every instance's cache (config-cache.ts) that
// the configuration moved: on PostgreSQL through NOTIFY, delivered at commit.
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/schema.ts';
import { configCacheFor, CONFIG_CHANNEL } from './config-cache.ts';

export interface ConfigState {
  activeProviderId: string | null;
  /** The version this change commits. */
  configVersion: number;
}

/** Ensures the tenant's settings row exists (tenants created before AI configuration have none). */
async function ensureSettingsRow(tx: Transaction<Database>, tenantId: string, now: string): Promise<void> {
  await tx
    .insertInto('tenant_settings')
    .values({
      tenant_id: tenantId,
      active_provider_id: null,
      monthly_budget_micros: null,
      alert_at_pct: null,
      per_user_monthly_budget_micros: null,
      max_agent_steps: 8,
      alert_webhook_url: null,
      alert_webhook_secret_id: null,
      alert_webhook_origin: null,
      config_version: 0,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
}

/** Runs `change` in a transaction that holds the tenant's configuration lock; rolls back on any throw. */
export async function inConfigTransaction<T>(
  ctx: AppContext,
  tenantId: string,
  change: (tx: Transaction<Database>, state: ConfigState) => Promise<T>,
): Promise<T> {
  const now = ctx.clock.now().toISOString();
  let committedVersion = 0;
  const result = await ctx.db.transaction().execute(async (tx) => {
    await ensureSettingsRow(tx, tenantId, now);
    const bumped = await tx
      .updateTable('tenant_settings')
      .set((eb) => ({ config_version: eb('config_version', '+', 1), updated_at: now }))
      .where('tenant_id', '=', tenantId)
      .returning(['config_version', 'active_provider_id'])
      .executeTakeFirstOrThrow();
    committedVersion = Number(bumped.config_version);
    if (ctx.dbKind === 'postgres') {
      await sql`select pg_notify(${CONFIG_CHANNEL}, ${`${tenantId}:${committedVersion}`})`.execute(tx);
    }
    return change(tx, { activeProviderId: bumped.active_provider_id, configVersion: committedVersion });
  });
  // This instance sees its own change at once, without waiting for the notification or the next poll.
  configCacheFor(ctx).noteVersion(tenantId, committedVersion);
  return result;
}
