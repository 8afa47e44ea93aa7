// The month-to-date usage report (Admin → Usage): spend from the recorded model calls and the catalog's
// prices they were recorded at, by model and by user, beside the tenant's budget and this month's alerts.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { budgetMonth } from './budget-ledger.ts';
import { readBudgetSettings } from './limits.ts';
import { microsToUsd } from './pricing.ts';

export interface UsageByModel {
  providerKind: string | null;
  model: string | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** True when some of these calls were priced at the provider's highest price (model not in the catalog). */
  estimated: boolean;
}

export interface UsageByUser {
  user: { id: string | null; email: string | null };
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface BudgetAlertView {
  thresholdPct: number;
  firedAt: string;
  spentUsd: number;
}

export interface UsageByDay {
  /** 'YYYY-MM-DD' (UTC). */
  date: string;
  costUsd: number;
}

export interface UsageReport {
  month: string;
  spentUsd: number;
  budgetUsd: number | null;
  alertAtPct: number | null;
  perUserBudgetUsd: number | null;
  estimated: boolean;
  byModel: UsageByModel[];
  byUser: UsageByUser[];
  /** Spend per day of the month so far, every day listed (zeros included), for the spend chart. */
  byDay: UsageByDay[];
  alerts: BudgetAlertView[];
}

/** 'YYYY-MM' → the ISO range [start, next month's start) that call_records.at is compared with. */
export function monthRange(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(Date.UTC(year, mon - 1, 1)).toISOString(),
    to: new Date(Date.UTC(year, mon, 1)).toISOString(),
  };
}

/** The tenant's usage for the month `now` falls in (UTC). */
export async function getUsageReport(db: Db, tenantId: string, now: Date): Promise<UsageReport> {
  const month = budgetMonth(now);
  const { from, to } = monthRange(month);
  // Served by the call_records (tenant_id, at) index.
  const calls = db
    .selectFrom('call_records')
    .where('call_records.tenant_id', '=', tenantId)
    .where('call_records.type', '=', 'model_call')
    .where('call_records.at', '>=', from)
    .where('call_records.at', '<', to);

  // ISO text times: the first ten characters are the UTC day on both databases.
  const day = sql<string>`substr(call_records.at, 1, 10)`;
  const [modelRows, userRows, dayRows, settings, alerts] = await Promise.all([
    calls
      .select((eb) => [
        'call_records.provider_kind',
        'call_records.model',
        eb.fn.countAll().as('calls'),
        eb.fn.sum('call_records.input_tokens').as('input_tokens'),
        eb.fn.sum('call_records.output_tokens').as('output_tokens'),
        eb.fn.sum('call_records.cost_micros').as('cost_micros'),
        eb.fn.max('call_records.estimated').as('estimated'),
      ])
      .groupBy(['call_records.provider_kind', 'call_records.model'])
      .execute(),
    calls
      .leftJoin('users', (join) => join.onRef('users.id', '=', 'call_records.user_id').onRef('users.tenant_id', '=', 'call_records.tenant_id'))
      .select((eb) => [
        'call_records.user_id',
        eb.fn.max('users.email').as('email'),
        eb.fn.countAll().as('calls'),
        eb.fn.sum('call_records.input_tokens').as('input_tokens'),
        eb.fn.sum('call_records.output_tokens').as('output_tokens'),
        eb.fn.sum('call_records.cost_micros').as('cost_micros'),
      ])
      .groupBy('call_records.user_id')
      .execute(),
    calls
      .select((eb) => [day.as('day'), eb.fn.sum('call_records.cost_micros').as('cost_micros')])
      .groupBy(day)
      .execute(),
    readBudgetSettings(db, tenantId),
    listBudgetAlerts(db, tenantId, month),
  ]);

  // PostgreSQL returns sums of bigint as numeric strings: every aggregate goes through Number().
  const byModel: UsageByModel[] = modelRows
    .map((r) => ({
      providerKind: r.provider_kind,
      model: r.model,
      calls: Number(r.calls),
      inputTokens: Number(r.input_tokens ?? 0),
      outputTokens: Number(r.output_tokens ?? 0),
      costMicros: Number(r.cost_micros ?? 0),
      estimated: Number(r.estimated ?? 0) > 0,
    }))
    .sort((a, b) => b.costMicros - a.costMicros || b.calls - a.calls || String(a.model).localeCompare(String(b.model)))
    .map(({ costMicros, ...rest }) => ({ ...rest, costUsd: microsToUsd(costMicros) }));
  const byUser: UsageByUser[] = userRows
    .map((r) => ({
      user: { id: r.user_id, email: r.email ?? null },
      calls: Number(r.calls),
      inputTokens: Number(r.input_tokens ?? 0),
      outputTokens: Number(r.output_tokens ?? 0),
      costMicros: Number(r.cost_micros ?? 0),
    }))
    .sort((a, b) => b.costMicros - a.costMicros || b.calls - a.calls || String(a.user.email).localeCompare(String(b.user.email)))
    .map(({ costMicros, ...rest }) => ({ ...rest, costUsd: microsToUsd(costMicros) }));

  const spentByDay = new Map(dayRows.map((r) => [r.day, Number(r.cost_micros ?? 0)]));
  const byDay = daysOfMonthUntil(month, now).map((date) => ({ date, costUsd: microsToUsd(spentByDay.get(date) ?? 0) }));

  const spentMicros = modelRows.reduce((sum, r) => sum + Number(r.cost_micros ?? 0), 0);
  return {
    month,
    spentUsd: microsToUsd(spentMicros),
    budgetUsd: settings.tenantBudgetMicros === null ? null : microsToUsd(settings.tenantBudgetMicros),
    alertAtPct: settings.alertAtPct,
    perUserBudgetUsd: settings.userBudgetMicros === null ? null : microsToUsd(settings.userBudgetMicros),
    estimated: byModel.some((m) => m.estimated),
    byModel,
    byUser,
    byDay,
    alerts,
  };
}

/** Every UTC day of `month` from its first day up to and including `now`'s day. */
export function daysOfMonthUntil(month: string, now: Date): string[] {
  const { from } = monthRange(month);
  const last = now.toISOString().slice(0, 10);
  const days: string[] = [];
  for (let d = new Date(from); d.toISOString().slice(0, 10) <= last && d.toISOString().slice(0, 7) === month; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** This month's budget alerts, for the Overview. */
export async function listBudgetAlerts(db: Db, tenantId: string, month: string): Promise<BudgetAlertView[]> {
  const rows = await db
    .selectFrom('budget_alerts')
    .select(['threshold_pct', 'fired_at', 'spent_micros'])
    .where('tenant_id', '=', tenantId)
    .where('month', '=', month)
    .orderBy('threshold_pct')
    .execute();
  return rows.map((a) => ({ thresholdPct: Number(a.threshold_pct), firedAt: a.fired_at, spentUsd: microsToUsd(Number(a.spent_micros)) }));
}
