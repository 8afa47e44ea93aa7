// The kill switch: one call turns AI off for the tenant (after a leaked key or a runaway bill). New
// sessions get ai_not_configured and running answers stop with ai_disabled (the chat checks the active
// provider through resolve-active-provider.ts). Turning AI back on is activating a provider.
import { writeAudit } from '../audit/audit-log.ts';
import { auditActor, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { inConfigTransaction } from './ai-config-transaction.ts';

export async function deactivateAi(deps: AiConfigDeps, actor: Actor): Promise<{ activeProviderId: null; previousActiveProviderId: string | null }> {
  const { ctx } = deps;
  return inConfigTransaction(ctx, actor.tenantId, async (tx, state) => {
    await tx.updateTable('tenant_settings').set({ active_provider_id: null }).where('tenant_id', '=', actor.tenantId).execute();
    await writeAudit(tx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'ai.deactivate',
      target: state.activeProviderId,
      at: ctx.clock.now().toISOString(),
      details: { previousActiveProviderId: state.activeProviderId },
    });
    return { activeProviderId: null, previousActiveProviderId: state.activeProviderId };
  });
}
