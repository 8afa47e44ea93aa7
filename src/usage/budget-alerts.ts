// Budget alerts: when a tenant's month-to-date spend crosses its alert threshold, and again at 100 %,
// one alert per month per threshold — in the budget_alerts table (the Overview shows it), the audit log,
// the server log and, when set, a webhook. The primary key (tenant, month, threshold) decides which of
// several concurrent settlements (or instances) raises it: only the one whose insert lands fires.
import type { AppContext } from '../app-context.ts';
import { writeAudit } from '../audit/audit-log.ts';
import { isoNow } from '../clock.ts';
import { postToWebhook } from './alert-webhook.ts';
import { readBudgetSettings } from './limits.ts';
import { openWebhook, webhookOrigin, type SealedWebhook } from './sealed-webhook.ts';
import { microsToUsd } from './pricing.ts';

export type AlertDeps = Pick<AppContext, 'db' | 'logger' | 'clock' | 'config' | 'vault'>;

export interface BudgetAlertCheck {
  tenantId: string;
  month: string;
  /** The tenant's spend this month after the settlement that prompts the check. */
  spentMicros: number;
  /** True when the tenant budget has just refused a call: the budget is exhausted in practice. */
  refused?: boolean;
}

export interface RaisedAlerts {
  /** The thresholds this call raised (empty when none was crossed or another caller raised them). */
  fired: number[];
  /** The webhook deliveries under way; callers never wait for them (tests may). */
  delivery: Promise<void>;
}

export interface BudgetAlertPayload {
  type: 'budget.alert';
  tenantId: string;
  month: string;
  thresholdPct: number;
  spentUsd: number;
  budgetUsd: number;
  reason: 'threshold_crossed' | 'call_refused';
  at: string;
}

/** Raises the alerts the spend has crossed and that nobody raised yet this month. */
export async function raiseBudgetAlerts(deps: AlertDeps, check: BudgetAlertCheck): Promise<RaisedAlerts> {
  const settings = await readBudgetSettings(deps.db, check.tenantId);
  const budget = settings.tenantBudgetMicros;
  if (budget === null) return { fired: [], delivery: Promise.resolve() };
  const thresholds = [...new Set([settings.alertAtPct, 100].filter((t): t is number => t !== null))].sort((a, b) => a - b);
  const crossed = thresholds.filter(
    (t) => (check.spentMicros > 0 && check.spentMicros * 100 >= t * budget) || (t === 100 && check.refused === true),
  );
  const fired: BudgetAlertPayload[] = [];
  for (const threshold of crossed) {
    const at = isoNow(deps.clock);
    const payload: BudgetAlertPayload = {
      type: 'budget.alert',
      tenantId: check.tenantId,
      month: check.month,
      thresholdPct: threshold,
      spentUsd: microsToUsd(check.spentMicros),
      budgetUsd: microsToUsd(budget),
      reason: check.spentMicros * 100 >= threshold * budget ? 'threshold_crossed' : 'call_refused',
      at,
    };
    const inserted = await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('budget_alerts')
        .values({ tenant_id: check.tenantId, month: check.month, threshold_pct: threshold, fired_at: at, spent_micros: check.spentMicros })
        .onConflict((oc) => oc.columns(['tenant_id', 'month', 'threshold_pct']).doNothing())
        .returning('threshold_pct')
        .executeTakeFirst();
      if (!row) return false;
      const { type: _type, tenantId: _tenant, ...details } = payload;
      await writeAudit(trx, { tenantId: check.tenantId, actor: { id: null, email: null }, action: 'budget.alert', target: `budget:${check.month}`, details, at });
      return true;
    });
    if (!inserted) continue;
    deps.logger.warn({ budgetAlert: payload }, `AI budget alert: ${threshold}% of the monthly budget reached`);
    fired.push(payload);
  }
  const webhook = settings.alertWebhook;
  const delivery = webhook === null || fired.length === 0 ? Promise.resolve() : deliver(deps, check.tenantId, webhook, fired);
  return { fired: fired.map((p) => p.thresholdPct), delivery };
}

/** Opens the sealed webhook URL (only now, to send) and posts each alert to it. */
async function deliver(deps: AlertDeps, tenantId: string, webhook: SealedWebhook, fired: BudgetAlertPayload[]): Promise<void> {
  let url: string;
  try {
    url = await openWebhook(deps, tenantId, webhook);
  } catch (error) {
    deps.logger.warn({ webhook: webhook.origin, tenantId, code: (error as { code?: unknown }).code ?? (error as Error).name }, 'budget alert webhook could not be opened from the vault');
    return;
  }
  await Promise.all(fired.map((payload) => postWebhook(deps, url, payload)));
}

// Fire and forget: never throws, never blocks a chat answer; failures are logged by the URL's origin.
async function postWebhook(deps: AlertDeps, url: string, payload: BudgetAlertPayload): Promise<void> {
  const outcome = await postToWebhook(deps, url, payload);
  if (outcome.ok) return;
  const fields = { webhook: webhookOrigin(url), tenantId: payload.tenantId, code: outcome.code, status: outcome.status, error: outcome.message };
  deps.logger.warn(fields, outcome.code === 'http_error' ? 'budget alert webhook answered with an error status' : 'budget alert webhook could not be delivered');
}
