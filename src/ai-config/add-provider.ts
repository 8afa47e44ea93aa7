// Add provider: format check and Test connection first (testConnection does both); only a passing test
// stores anything. The key goes to the vault, the row keeps its hint. The new provider becomes active
// when none is (a conditional update: of two first saves racing, exactly one wins) or when asked.
import { writeAudit } from '../audit/audit-log.ts';
import type { AzureSettings, ConnectionSettings, ProviderKind } from '../providers/provider.ts';
import { newId } from '../ids.ts';
import type { Secret } from '../vault/secret.ts';
import { auditActor, SECRET_PURPOSE, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { inConfigTransaction } from './ai-config-transaction.ts';
import { lastTestOf, requirePassingTests } from './connection-tester.ts';
import { defaultFastModel } from './default-models.ts';
import { keyHint } from './key-hint.ts';
import { inFlightWindow } from './in-flight-sessions.ts';
import { KIND_LABELS, presentProvider, type ProviderView } from './provider-connections.ts';

export interface AddProviderInput {
  kind: ProviderKind;
  label?: string | undefined;
  apiKey: Secret;
  keyName?: string | null | undefined;
  baseUrl?: string | null | undefined;
  azure?: AzureSettings | null | undefined;
  models: { orchestrator: string; fast?: string | undefined };
  activate?: boolean | undefined;
}

export async function addProvider(deps: AiConfigDeps, actor: Actor, input: AddProviderInput): Promise<ProviderView> {
  const { ctx } = deps;
  const settings: ConnectionSettings = {
    kind: input.kind,
    apiKey: input.apiKey,
    baseUrl: input.kind === 'azure' ? null : (input.baseUrl ?? null),
    azure: input.kind === 'azure' ? (input.azure ?? null) : null,
  };
  const orchestrator = input.models.orchestrator;
  const fast = input.models.fast ?? defaultFastModel(input.kind, orchestrator, settings.azure);
  // A fast model the admin chose is tested too, and so is an Azure deployment picked from modelOf (the
  // admin may have named a deployment that does not exist); the catalog's default of a provider is trusted.
  const testFast = fast !== orchestrator && (input.models.fast !== undefined || input.kind === 'azure');
  const tested = await requirePassingTests(deps, settings, testFast ? [orchestrator, fast] : [orchestrator]);

  const id = newId();
  const hint = keyHint(input.apiKey);
  return inConfigTransaction(ctx, actor.tenantId, async (tx, state) => {
    const now = ctx.clock.now().toISOString();
    const secretId = await ctx.vault.storeSecret(tx, actor.tenantId, SECRET_PURPOSE, input.apiKey);
    await tx
      .insertInto('provider_connections')
      .values({
        id,
        tenant_id: actor.tenantId,
        kind: input.kind,
        label: input.label ?? KIND_LABELS[input.kind],
        base_url: settings.baseUrl,
        azure: settings.azure === null ? null : JSON.stringify(settings.azure),
        model_orchestrator: orchestrator,
        model_fast: fast,
        key_secret_id: secretId,
        key_hint: hint,
        key_name: input.keyName ?? null,
        key_added_at: now,
        last_test: JSON.stringify(lastTestOf(tested, now)),
        created_at: now,
        updated_at: now,
      })
      .execute();

    let activated = false;
    if (input.activate === true) {
      await tx.updateTable('tenant_settings').set({ active_provider_id: id }).where('tenant_id', '=', actor.tenantId).execute();
      activated = true;
    } else if (state.activeProviderId === null) {
      // The row lock taken by the version bump already serialises us; the condition keeps the rule
      // true on its own even for a writer that skipped that lock.
      const result = await tx
        .updateTable('tenant_settings')
        .set({ active_provider_id: id })
        .where('tenant_id', '=', actor.tenantId)
        .where('active_provider_id', 'is', null)
        .executeTakeFirst();
      activated = Number(result.numUpdatedRows) === 1;
    }

    await writeAudit(tx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'ai.provider.add',
      target: id,
      at: now,
      details: {
        kind: input.kind,
        label: input.label ?? KIND_LABELS[input.kind],
        keyHint: hint,
        keyName: input.keyName ?? null,
        models: { orchestrator, fast },
        baseUrl: settings.baseUrl,
        azureEndpoint: settings.azure?.endpoint ?? null,
        activated,
        previousActiveProviderId: activated ? state.activeProviderId : undefined,
      },
    });
    const view = await presentProvider(tx, actor.tenantId, id, inFlightWindow(ctx));
    if (!view) throw new Error('provider vanished inside its own transaction');
    return view;
  });
}
