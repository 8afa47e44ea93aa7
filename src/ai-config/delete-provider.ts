// Deleting a provider: refused (409 provider_in_use) while it is active, or while sessions in flight are
// pinned to it — unless the admin names another provider to move them to. Their history is Mosaic's, in
// the provider-neutral form, so they continue there; each move is recorded as a 'repin' on the session's
// timeline. Row, secret, moves and audit go in one transaction under the configuration lock.
import { writeAudit } from '../audit/audit-log.ts';
import { recordRepins } from '../chat/call-records.ts';
import { conflict, invalidRequest, notFound } from '../server/errors.ts';
import { auditActor, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { inConfigTransaction } from './ai-config-transaction.ts';
import { inFlightSessionsOf, inFlightWindow } from './in-flight-sessions.ts';
import { findProvider } from './provider-connections.ts';

export interface DeleteProviderInput {
  moveSessionsTo?: string | undefined;
}

export async function deleteProvider(deps: AiConfigDeps, actor: Actor, providerId: string, input: DeleteProviderInput = {}): Promise<void> {
  const { ctx } = deps;
  await inConfigTransaction(ctx, actor.tenantId, async (tx, state) => {
    const now = ctx.clock.now().toISOString();
    const row = await findProvider(tx, actor.tenantId, providerId);
    if (!row) throw notFound('provider');
    if (input.moveSessionsTo === providerId) throw invalidRequest('moveSessionsTo: name another provider than the one being deleted');
    const target = input.moveSessionsTo === undefined ? null : await findProvider(tx, actor.tenantId, input.moveSessionsTo);
    if (input.moveSessionsTo !== undefined && !target) throw notFound('provider to move sessions to');
    if (state.activeProviderId === providerId) {
      throw conflict('This provider is active: activate another provider (or turn AI off) before deleting it.', 'provider_in_use', {
        hint: 'Activate another provider first, or POST /api/admin/ai/deactivate to turn AI off.',
      });
    }
    const pinned = await inFlightSessionsOf(tx, actor.tenantId, providerId, inFlightWindow(ctx));
    if (pinned.length > 0 && !target) {
      throw conflict(`${pinned.length} chat session(s) in flight are using this provider.`, 'provider_in_use', {
        hint: 'Wait until they finish, or delete with ?moveSessionsTo=<another provider id> to continue them there.',
        inFlightSessions: pinned.length,
      });
    }
    if (target && pinned.length > 0) {
      await tx
        .updateTable('chat_sessions')
        .set({ provider_id: target.id, provider_kind: target.kind, model_orchestrator: target.model_orchestrator, model_fast: target.model_fast })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', 'in', pinned.map((s) => s.id))
        .execute();
      await recordRepins(
        tx,
        pinned.map((session) => ({
          scope: { tenantId: actor.tenantId, sessionId: session.id, userId: session.user_id },
          repin: { at: new Date(now), providerKind: target.kind, model: target.model_orchestrator, from: providerId, to: target.id, reason: 'provider_deleted' as const },
        })),
      );
    }
    await tx.deleteFrom('provider_connections').where('tenant_id', '=', actor.tenantId).where('id', '=', providerId).execute();
    await ctx.vault.deleteSecret(tx, actor.tenantId, row.key_secret_id);
    await writeAudit(tx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'ai.provider.delete',
      target: providerId,
      at: now,
      details: {
        label: row.label,
        kind: row.kind,
        keyHint: row.key_hint,
        movedSessions: target ? pinned.length : 0,
        movedSessionsTo: target?.id ?? null,
      },
    });
  });
}
