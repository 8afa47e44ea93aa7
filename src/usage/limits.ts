// The tenant's limits: monthly budget, alert threshold, per-user budget, agent step limit and the
// optional alert webhook (sealed in the vault). Stored on the tenant_settings row (created on demand);
// money as micro-dollars.
import type { AppContext } from '../app-context.ts';
import { inConfigTransaction } from '../ai-config/ai-config-transaction.ts';
import { configCacheFor } from '../ai-config/config-cache.ts';
import { writeAudit, type AuditActor } from '../audit/audit-log.ts';
import { isoNow } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { assertUrlAllowed } from '../providers/ssrf-guard.ts';
import { ProviderError } from '../providers/provider-error.ts';
import { invalidRequest } from '../server/errors.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import { microsToUsd, usdToMicros } from './pricing.ts';
import { sealWebhook, type SealedWebhook } from './sealed-webhook.ts';

export const DEFAULT_MAX_AGENT_STEPS = 8;

export interface TenantLimits {
  monthlyBudgetUsd: number | null;
  /** Percent of the monthly budget (1–100) at which an alert is raised; 100 % always alerts too. */
  alertAtPct: number | null;
  perUserMonthlyBudgetUsd: number | null;
  maxAgentSteps: number;
  /**
   * Where alerts are POSTed (SSRF-guarded), shown by its origin only: the rest of a webhook URL is
   * usually its own secret, so it is sealed in the vault like an API key and never shown again. null = none.
   */
  alertWebhook: { origin: string } | null;
}

/** What PUT takes: the limits, and the webhook URL to set (a string), remove (null) or keep (omitted). */
export interface LimitsUpdate extends Omit<TenantLimits, 'alertWebhook'> {
  alertWebhookUrl?: string | null | undefined;
}

/** What the budget checks need, in the ledger's unit. */
export interface BudgetSettings {
  tenantBudgetMicros: number | null;
  userBudgetMicros: number | null;
  alertAtPct: number | null;
  /** The sealed webhook URL's secret id, opened only to deliver an alert. */
  alertWebhook: SealedWebhook | null;
  maxAgentSteps: number;
}

const NO_SETTINGS: BudgetSettings = {
  tenantBudgetMicros: null,
  userBudgetMicros: null,
  alertAtPct: null,
  alertWebhook: null,
  maxAgentSteps: DEFAULT_MAX_AGENT_STEPS,
};

/** The tenant's budget settings (defaults when the tenant has never set any). */
export async function readBudgetSettings(db: DbOrTx, tenantId: string): Promise<BudgetSettings> {
  const row = await db
    .selectFrom('tenant_settings')
    .select(['monthly_budget_micros', 'per_user_monthly_budget_micros', 'alert_at_pct', 'alert_webhook_secret_id', 'alert_webhook_origin', 'max_agent_steps'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row) return NO_SETTINGS;
  return {
    tenantBudgetMicros: nullableNumber(row.monthly_budget_micros),
    userBudgetMicros: nullableNumber(row.per_user_monthly_budget_micros),
    alertAtPct: nullableNumber(row.alert_at_pct),
    alertWebhook: row.alert_webhook_secret_id === null ? null : { secretId: row.alert_webhook_secret_id, origin: row.alert_webhook_origin ?? '' },
    maxAgentSteps: Number(row.max_agent_steps),
  };
}

/**
 * readBudgetSettings through the per-tenant configuration cache (config-cache.ts): every chat turn needs
 * the settings, and they change only with config_version, which putLimits bumps (and announces).
 */
export async function cachedBudgetSettings(ctx: Pick<AppContext, 'db' | 'pgPool' | 'logger'>, tenantId: string): Promise<BudgetSettings> {
  return configCacheFor(ctx).get(tenantId, 'budget', () => readBudgetSettings(ctx.db, tenantId));
}

/** The limits as the API shows them. */
export async function getLimits(db: Db, tenantId: string): Promise<TenantLimits> {
  return presentLimits(await readBudgetSettings(db, tenantId));
}

export function presentLimits(settings: BudgetSettings): TenantLimits {
  return {
    monthlyBudgetUsd: settings.tenantBudgetMicros === null ? null : microsToUsd(settings.tenantBudgetMicros),
    alertAtPct: settings.alertAtPct,
    perUserMonthlyBudgetUsd: settings.userBudgetMicros === null ? null : microsToUsd(settings.userBudgetMicros),
    maxAgentSteps: settings.maxAgentSteps,
    alertWebhook: settings.alertWebhook === null ? null : { origin: settings.alertWebhook.origin },
  };
}

export interface PutLimitsInput {
  tenantId: string;
  actor: AuditActor;
  limits: LimitsUpdate;
}

/**
 * Replaces all of the tenant's limits, with its audit event in the same transaction. A new webhook URL is
 * sealed in the vault and the one it replaces deleted, in that transaction too: nothing half-written.
 */
export async function putLimits(ctx: AppContext, input: PutLimitsInput): Promise<TenantLimits> {
  const { alertWebhookUrl, ...limits } = input.limits;
  if (typeof alertWebhookUrl === 'string') checkWebhookUrl(alertWebhookUrl, ctx.config.allowPrivateUpstreams);
  const now = isoNow(ctx.clock);
  const values = {
    monthly_budget_micros: limits.monthlyBudgetUsd === null ? null : usdToMicros(limits.monthlyBudgetUsd),
    alert_at_pct: limits.alertAtPct,
    per_user_monthly_budget_micros: limits.perUserMonthlyBudgetUsd === null ? null : usdToMicros(limits.perUserMonthlyBudgetUsd),
    max_agent_steps: limits.maxAgentSteps,
    updated_at: now,
  };
  // A configuration transaction: it bumps config_version and announces it (NOTIFY on PostgreSQL), so
  // every instance's cached budget settings (cachedBudgetSettings) are replaced within a second.
  const webhook = await inConfigTransaction(ctx, input.tenantId, async (trx) => {
    const before = await readBudgetSettings(trx, input.tenantId);
    let webhook = before.alertWebhook;
    let change: 'kept' | 'set' | 'removed' = 'kept';
    if (alertWebhookUrl !== undefined) {
      // Set or removed: the sealed URL it replaces goes either way.
      if (webhook !== null) await ctx.vault.deleteSecret(trx, input.tenantId, webhook.secretId);
      webhook = null;
      change = 'removed';
      if (alertWebhookUrl !== null) {
        webhook = await sealWebhook(ctx.vault, trx, input.tenantId, alertWebhookUrl);
        change = 'set';
      }
    }
    await trx
      .updateTable('tenant_settings')
      .set({ ...values, alert_webhook_url: null, alert_webhook_secret_id: webhook?.secretId ?? null, alert_webhook_origin: webhook?.origin ?? null })
      .where('tenant_id', '=', input.tenantId)
      .execute();
    await writeAudit(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'limits.update',
      target: 'limits',
      // The webhook by its origin only: its path and query are its secret.
      details: { ...limits, alertWebhook: webhook?.origin ?? null, alertWebhookChange: change },
      at: now,
    });
    return webhook;
  });
  return presentLimits({
    tenantBudgetMicros: values.monthly_budget_micros,
    userBudgetMicros: values.per_user_monthly_budget_micros,
    alertAtPct: values.alert_at_pct,
    alertWebhook: webhook,
    maxAgentSteps: values.max_agent_steps,
  });
}

/** 400 invalid_request for a webhook URL the SSRF guard refuses by its shape or address. */
export function checkWebhookUrl(url: string, allowPrivate: boolean): void {
  try {
    assertUrlAllowed(url, { allowPrivate });
  } catch (error) {
    if (error instanceof ProviderError) {
      // The guard's hints speak of provider base URLs; a webhook gets its own.
      const hint = error.code === 'upstream_not_allowed' ? 'Use a public https URL.' : 'Paste the webhook URL as your chat tool gives it: https, without a user name or password.';
      throw invalidRequest(`alertWebhookUrl: ${error.message}`, { reason: error.code, hint });
    }
    throw error;
  }
}

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
