// Pinning at message time: a session in flight keeps its provider (a switch of the active provider never
// disturbs it); a session no longer in flight — closed, idle, or whose provider was deleted — is re-pinned
// to the tenant's active provider, and the move is written to its timeline.
import type { AppContext } from '../app-context.ts';
import { getActiveProvider, getConnectionSettings } from '../ai-config/resolve-active-provider.ts';
import type { ChatSessionRow } from '../db/schema.ts';
import { recordRepin } from './call-records.ts';
import { aiNotConfigured, isInFlight } from './chat-sessions.ts';

/**
 * The session as the next answer should run it. `before` is the row read before the lease was taken
 * (the lease itself makes any session look in flight).
 */
export async function ensurePinned(ctx: AppContext, before: ChatSessionRow): Promise<ChatSessionRow> {
  const now = ctx.clock.now();
  const inFlight = isInFlight(before, now, ctx.config.sessionIdleMinutes);
  const pinnedExists = (await getConnectionSettings(ctx, before.tenant_id, before.provider_id)) !== null;
  if (inFlight && pinnedExists) return before;

  const active = await getActiveProvider(ctx, before.tenant_id);
  if (active === null) throw aiNotConfigured();
  const changed =
    active.providerId !== before.provider_id || active.models.orchestrator !== before.model_orchestrator || active.models.fast !== before.model_fast;
  const at = now.toISOString();
  const pinned: ChatSessionRow = {
    ...before,
    provider_id: active.providerId,
    provider_kind: active.kind,
    model_orchestrator: active.models.orchestrator,
    model_fast: active.models.fast,
    status: 'in_flight',
    closed_at: null,
    last_activity_at: at,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('chat_sessions')
      .set({
        provider_id: pinned.provider_id,
        provider_kind: pinned.provider_kind,
        model_orchestrator: pinned.model_orchestrator,
        model_fast: pinned.model_fast,
        status: 'in_flight',
        closed_at: null,
        last_activity_at: at,
      })
      .where('tenant_id', '=', before.tenant_id)
      .where('id', '=', before.id)
      .execute();
    // Reopening on the same provider and models is not a move: nothing for the timeline.
    if (changed) {
      await recordRepin(trx, { tenantId: before.tenant_id, sessionId: before.id, userId: before.user_id }, {
        at: now,
        providerKind: active.kind,
        model: active.models.orchestrator,
        from: before.provider_id,
        to: active.providerId,
        reason: !pinnedExists ? 'provider_gone' : before.status === 'completed' ? 'closed' : 'idle',
      });
    }
  });
  return pinned;
}
