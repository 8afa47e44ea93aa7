// What "in flight" means for a provider: a chat session pinned to it that is still open and was active
// within the idle window, or has an answer being written (a live lease). Such sessions finish on the
// provider they started with, keep it from being deleted unless moved, and are counted on its card.
import type { AppContext } from '../app-context.ts';
import type { DbOrTx } from '../vault/vault-api.ts';

export interface InFlightWindow {
  now: Date;
  idleMinutes: number;
}

export function inFlightWindow(ctx: Pick<AppContext, 'clock' | 'config'>): InFlightWindow {
  return { now: ctx.clock.now(), idleMinutes: ctx.config.sessionIdleMinutes };
}

function inFlightQuery(db: DbOrTx, tenantId: string, window: InFlightWindow) {
  const cutoff = new Date(window.now.getTime() - window.idleMinutes * 60_000).toISOString();
  return db
    .selectFrom('chat_sessions')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'in_flight')
    .where((eb) => eb.or([eb('last_activity_at', '>=', cutoff), eb('lease_expires_at', '>', window.now.toISOString())]));
}

/** The in-flight sessions pinned to one provider (to refuse its deletion, or move them). */
export async function inFlightSessionsOf(db: DbOrTx, tenantId: string, providerId: string, window: InFlightWindow): Promise<Array<{ id: string; user_id: string }>> {
  return inFlightQuery(db, tenantId, window).select(['id', 'user_id']).where('provider_id', '=', providerId).execute();
}

/** How many in-flight sessions each of the tenant's providers has (providers with none are absent). */
export async function inFlightCounts(db: DbOrTx, tenantId: string, window: InFlightWindow, providerId?: string): Promise<Map<string, number>> {
  let query = inFlightQuery(db, tenantId, window).select((eb) => ['provider_id', eb.fn.countAll<number | string>().as('n')]);
  if (providerId !== undefined) query = query.where('provider_id', '=', providerId);
  const rows = await query.groupBy('provider_id').execute();
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.provider_id, Number(row.n));
  return counts;
}
