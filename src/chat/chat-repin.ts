// Pinning at message time: a session in flight keeps its provider (a switch of the active provider never
// disturbs it); a session no longer in flight — closed, idle, or whose provider was deleted — is re-pinned
// to the tenant's active provider, and the move is written to its timeline.
//
// Planned here without writing (the configuration reads are cached); the plan's writes go into the
// exchange's transaction after the session's lease is taken (chat-messages.ts startExchange), so a busy
// session is never re-pinned and the turn pays one commit for lease, pin and messages together.
import type { AppContext } from '../app-context.ts';
import { getActiveProvider, getConnectionSettings, type ResolvedConnection } from '../ai-config/resolve-active-provider.ts';
import type { ChatSessionRow } from '../db/schema.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import { recordRepin, type RepinRecord } from './call-records.ts';
import { isInFlight } from './chat-sessions.ts';

/** The session columns a re-pin writes. */
export type PinFields = Pick<ChatSessionRow, 'provider_id' | 'provider_kind' | 'model_orchestrator' | 'model_fast' | 'status' | 'closed_at'>;

export type PinPlan =
  /** No provider to run the answer on: ai_not_configured (reported after the lease, as busy comes first). */
  | { configured: false }
  | {
      configured: true;
      /** The session as the answer runs it. */
      session: ChatSessionRow;
      connection: ResolvedConnection;
      /** The columns to write, null when the session keeps its pin. */
      pin: PinFields | null;
      /** The timeline row, null when nothing moved (reopening on the same provider and models). */
      repin: RepinRecord | null;
    };

/**
 * How the next answer should run the session. `before` is the row read before the lease is taken (the
 * lease itself makes any session look in flight).
 */
export async function planPin(ctx: AppContext, before: ChatSessionRow): Promise<PinPlan> {
  const now = ctx.clock.now();
  const inFlight = isInFlight(before, now, ctx.config.sessionIdleMinutes);
  const pinnedConnection = await getConnectionSettings(ctx, before.tenant_id, before.provider_id);
  if (inFlight && pinnedConnection !== null) return { configured: true, session: before, connection: pinnedConnection, pin: null, repin: null };

  const active = await getActiveProvider(ctx, before.tenant_id);
  if (active === null) return { configured: false };
  const connection = active.providerId === before.provider_id && pinnedConnection !== null ? pinnedConnection : await getConnectionSettings(ctx, before.tenant_id, active.providerId);
  if (connection === null) return { configured: false };
  const changed =
    active.providerId !== before.provider_id || active.models.orchestrator !== before.model_orchestrator || active.models.fast !== before.model_fast;
  const pin: PinFields = {
    provider_id: active.providerId,
    provider_kind: active.kind,
    model_orchestrator: active.models.orchestrator,
    model_fast: active.models.fast,
    status: 'in_flight',
    closed_at: null,
  };
  const repin: RepinRecord | null = changed
    ? {
        at: now,
        providerKind: active.kind,
        model: active.models.orchestrator,
        from: before.provider_id,
        to: active.providerId,
        reason: pinnedConnection === null ? 'provider_gone' : before.status === 'completed' ? 'closed' : 'idle',
      }
    : null;
  return { configured: true, session: { ...before, ...pin, last_activity_at: now.toISOString() }, connection, pin, repin };
}

/** Writes the plan's timeline row (its columns go into the lease's UPDATE); call under the lease. */
export async function recordPlannedRepin(trx: DbOrTx, session: ChatSessionRow, repin: RepinRecord | null): Promise<void> {
  if (repin === null) return;
  await recordRepin(trx, { tenantId: session.tenant_id, sessionId: session.id, userId: session.user_id }, repin);
}
