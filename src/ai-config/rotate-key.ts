// Key rotation: the new key is tested on the provider's orchestrator model before anything changes; a
// failure leaves the old key in place. The swap — new secret stored, row pointed at it, old secret
// deleted — is one transaction, so no reader ever sees a half-rotated provider, and the old key is gone
// from the database the moment the change commits (caches drop it through config_version).
import { writeAudit } from '../audit/audit-log.ts';
import { conflict, notFound } from '../server/errors.ts';
import type { Secret } from '../vault/secret.ts';
import { auditActor, SECRET_PURPOSE, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { inConfigTransaction } from './ai-config-transaction.ts';
import { lastTestOf, requirePassingTests } from './connection-tester.ts';
import { sameConnection, settingsFromRow } from './connection-settings.ts';
import { keyHint } from './key-hint.ts';
import { inFlightWindow } from './in-flight-sessions.ts';
import { findProvider, presentProvider, type ProviderView } from './provider-connections.ts';

export interface RotateKeyInput {
  apiKey: Secret;
  /** The new key's name at the provider; null/absent = unnamed (the old key's name described the old key). */
  keyName?: string | null | undefined;
}

export interface RotateKeyResult {
  provider: ProviderView;
  /** Which key to revoke at the provider now. */
  previousKey: { hint: string; name: string | null; addedAt: string };
}

export async function rotateKey(deps: AiConfigDeps, actor: Actor, providerId: string, input: RotateKeyInput): Promise<RotateKeyResult> {
  const { ctx } = deps;
  const before = await findProvider(ctx.db, actor.tenantId, providerId);
  if (!before) throw notFound('provider');
  const tested = await requirePassingTests(deps, settingsFromRow(before, input.apiKey), [before.model_orchestrator]);
  const newHint = keyHint(input.apiKey);

  return inConfigTransaction(ctx, actor.tenantId, async (tx) => {
    const now = ctx.clock.now().toISOString();
    const current = await findProvider(tx, actor.tenantId, providerId);
    if (!current) throw notFound('provider');
    if (!sameConnection(before, current) || current.model_orchestrator !== before.model_orchestrator) {
      throw conflict('The provider was changed by someone else while the new key was being tested; reload and try again.');
    }
    const newSecretId = await ctx.vault.storeSecret(tx, actor.tenantId, SECRET_PURPOSE, input.apiKey);
    const updated = await tx
      .updateTable('provider_connections')
      .set({
        key_secret_id: newSecretId,
        key_hint: newHint,
        key_name: input.keyName ?? null,
        key_added_at: now,
        last_test: JSON.stringify(lastTestOf(tested, now)),
        updated_at: now,
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', providerId)
      .where('key_secret_id', '=', current.key_secret_id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('The key was rotated by someone else meanwhile; reload and try again.');
    await ctx.vault.deleteSecret(tx, actor.tenantId, current.key_secret_id);
    await writeAudit(tx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'ai.provider.rotate_key',
      target: providerId,
      at: now,
      details: {
        label: current.label,
        oldKeyHint: current.key_hint,
        oldKeyName: current.key_name,
        oldKeyAddedAt: current.key_added_at,
        newKeyHint: newHint,
        newKeyName: input.keyName ?? null,
      },
    });
    return {
      provider: (await presentProvider(tx, actor.tenantId, providerId, inFlightWindow(ctx)))!,
      previousKey: { hint: current.key_hint, name: current.key_name, addedAt: current.key_added_at },
    };
  });
}
