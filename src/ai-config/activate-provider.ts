// Switching providers: new chat sessions use the activated one; sessions in flight stay pinned to the
// provider they started on (chat_sessions.provider_id, owned by the chat). The existence check runs
// under the configuration lock, so a concurrent delete cannot leave the tenant pointing at nothing.
import { writeAudit } from '../audit/audit-log.ts';
import { notFound } from '../server/errors.ts';
import { auditActor, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { inConfigTransaction } from './ai-config-transaction.ts';
import { inFlightCounts, inFlightWindow } from './in-flight-sessions.ts';
import { findProvider, toProviderView, type ProviderView } from './provider-connections.ts';

export async function activateProvider(deps: AiConfigDeps, actor: Actor, providerId: string): Promise<ProviderView> {
  const { ctx } = deps;
  return inConfigTransaction(ctx, actor.tenantId, async (tx, state) => {
    const now = ctx.clock.now().toISOString();
    const row = await findProvider(tx, actor.tenantId, providerId);
    if (!row) throw notFound('provider');
    await tx.updateTable('tenant_settings').set({ active_provider_id: providerId }).where('tenant_id', '=', actor.tenantId).execute();
    await writeAudit(tx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'ai.provider.activate',
      target: providerId,
      at: now,
      details: { label: row.label, kind: row.kind, previousActiveProviderId: state.activeProviderId },
    });
    const window = inFlightWindow(ctx);
    const inFlight = await inFlightCounts(tx, actor.tenantId, window, providerId);
    return toProviderView(row, providerId, window.now, inFlight.get(providerId) ?? 0);
  });
}
