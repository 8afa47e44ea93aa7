// Admin → Overview: the tenant's AI activity over the last `days` days (UTC, today included).
// Every figure is over the sessions STARTED in the window, from their stored aggregates, with aggregate
// SQL that runs the same on SQLite and PostgreSQL (times are ISO text, so substr(…, 1, 10) is the day).
//   errorRate    = sessions with at least one failed call / sessions (the list's outcome = error),
//                  0 when there are no sessions;
//   avgLatencyMs = total model-call latency / model calls (weighted per call, not per session),
//                  null when there were no model calls.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { budgetMonth } from '../usage/budget-ledger.ts';
import { listBudgetAlerts, type BudgetAlertView } from '../usage/usage-report.ts';
import { listSessions } from './sessions-list.ts';
import type { AdminSessionView } from './session-view.ts';

export const RECENT_SESSIONS = 10;
export const DAY_MS = 86_400_000;

export interface Overview {
  totalSessions: number;
  activeUsers: number;
  totalTokens: number;
  errorRate: number;
  avgLatencyMs: number | null;
  sessionsPerDay: { date: string; count: number }[];
  recentSessions: AdminSessionView[];
  /** This month's budget alerts. */
  alerts: BudgetAlertView[];
}

export interface OverviewDeps {
  db: Db;
  now: Date;
  idleMinutes: number;
}

/** The UTC dates of the window, oldest first: `days` dates ending with today. */
export function windowDates(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** Every date of the window with its count, zeros included. */
export function fillDays(dates: string[], counts: ReadonlyMap<string, number>): { date: string; count: number }[] {
  return dates.map((date) => ({ date, count: counts.get(date) ?? 0 }));
}

export async function getOverview(deps: OverviewDeps, tenantId: string, days: number): Promise<Overview> {
  const dates = windowDates(deps.now, days);
  const from = `${dates[0]}T00:00:00.000Z`;
  const toExclusive = new Date(Date.parse(`${dates[dates.length - 1]}T00:00:00.000Z`) + DAY_MS).toISOString();
  const inWindow = deps.db
    .selectFrom('chat_sessions')
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', from)
    .where('created_at', '<', toExclusive);
  const day = sql<string>`substr(created_at, 1, 10)`;

  const [totals, perDay, recent, alerts] = await Promise.all([
    inWindow
      .select((eb) => [
        eb.fn.countAll().as('sessions'),
        eb.fn.count(eb.ref('user_id')).distinct().as('users'),
        eb.fn.sum(eb('input_tokens', '+', eb.ref('output_tokens'))).as('tokens'),
        eb.fn.sum(eb.case().when('error_count', '>', 0).then(1).else(0).end()).as('failed'),
        eb.fn.sum('latency_total_ms').as('latency'),
        eb.fn.sum('model_call_count').as('model_calls'),
      ])
      .executeTakeFirstOrThrow(),
    inWindow.select((eb) => [day.as('date'), eb.fn.countAll().as('count')]).groupBy(day).execute(),
    listSessions(deps, tenantId, { from, toExclusive, limit: RECENT_SESSIONS }),
    listBudgetAlerts(deps.db, tenantId, budgetMonth(deps.now)),
  ]);

  // Sums come back as numeric strings on PostgreSQL and as null over no rows: Number(… ?? 0) for all.
  const sessions = Number(totals.sessions);
  const modelCalls = Number(totals.model_calls ?? 0);
  return {
    totalSessions: sessions,
    activeUsers: Number(totals.users),
    totalTokens: Number(totals.tokens ?? 0),
    errorRate: sessions > 0 ? Number(totals.failed ?? 0) / sessions : 0,
    avgLatencyMs: modelCalls > 0 ? Math.round(Number(totals.latency ?? 0) / modelCalls) : null,
    sessionsPerDay: fillDays(dates, new Map(perDay.map((r) => [r.date, Number(r.count)]))),
    recentSessions: recent.sessions,
    alerts,
  };
}
