// PATCH a provider: label, models, base URL, Azure settings. Whatever changes where or what is called
// (a model, the base URL, the Azure endpoint/style/version) is tested with the stored key first; a failed
// test changes nothing. A label or modelOf (pricing) change needs no test.
import { writeAudit } from '../audit/audit-log.ts';
import type { ProviderConnectionRow } from '../db/schema.ts';
import type { AzureSettings, ConnectionSettings } from '../providers/provider.ts';
import { conflict, invalidRequest, notFound } from '../server/errors.ts';
import { auditActor, type Actor, type AiConfigDeps } from './ai-config-deps.ts';
import { inConfigTransaction } from './ai-config-transaction.ts';
import { lastTestOf, requirePassingTests, type TestOutcome } from './connection-tester.ts';
import { readStoredKey, sameConnection } from './connection-settings.ts';
import { inFlightWindow } from './in-flight-sessions.ts';
import { findProvider, parseAzure, presentProvider, type ProviderView } from './provider-connections.ts';

export interface UpdateProviderInput {
  label?: string | undefined;
  models?: { orchestrator?: string | undefined; fast?: string | undefined } | undefined;
  baseUrl?: string | null | undefined;
  azure?: AzureSettings | undefined;
}

interface Plan {
  label: string;
  orchestrator: string;
  fast: string;
  baseUrl: string | null;
  azure: AzureSettings | null;
  changes: Record<string, { from: unknown; to: unknown }>;
  modelsToTest: string[];
}

const reachOf = (azure: AzureSettings | null) => (azure ? { endpoint: azure.endpoint, apiStyle: azure.apiStyle, apiVersion: azure.apiVersion } : null);

/** Pure: the row after the patch, what changed, and which models must pass a test first. */
export function planUpdate(row: ProviderConnectionRow, input: UpdateProviderInput): Plan {
  if (row.kind === 'azure' && input.baseUrl) throw invalidRequest('baseUrl: Azure connections use azure.endpoint, not baseUrl');
  if (row.kind !== 'azure' && input.azure) throw invalidRequest(`azure: only for kind "azure", not "${row.kind}"`);
  const currentAzure = parseAzure(row.azure);
  const next = {
    label: input.label ?? row.label,
    orchestrator: input.models?.orchestrator ?? row.model_orchestrator,
    fast: input.models?.fast ?? row.model_fast,
    baseUrl: row.kind === 'azure' ? null : input.baseUrl === undefined ? row.base_url : input.baseUrl,
    azure: input.azure ?? currentAzure,
  };
  const changes: Plan['changes'] = {};
  const note = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  };
  note('label', row.label, next.label);
  note('models.orchestrator', row.model_orchestrator, next.orchestrator);
  note('models.fast', row.model_fast, next.fast);
  note('baseUrl', row.base_url, next.baseUrl);
  note('azure', currentAzure, next.azure);

  const reachChanged = 'baseUrl' in changes || JSON.stringify(reachOf(currentAzure)) !== JSON.stringify(reachOf(next.azure));
  const modelsToTest: string[] = [];
  if (reachChanged || 'models.orchestrator' in changes) modelsToTest.push(next.orchestrator);
  if (reachChanged || 'models.fast' in changes) modelsToTest.push(next.fast);
  return { ...next, changes, modelsToTest: [...new Set(modelsToTest)] };
}

export async function updateProvider(deps: AiConfigDeps, actor: Actor, providerId: string, input: UpdateProviderInput): Promise<ProviderView> {
  const { ctx } = deps;
  const before = await findProvider(ctx.db, actor.tenantId, providerId);
  if (!before) throw notFound('provider');
  const plan = planUpdate(before, input);
  if (Object.keys(plan.changes).length === 0) {
    const unchanged = await presentProvider(ctx.db, actor.tenantId, providerId, inFlightWindow(ctx));
    if (!unchanged) throw notFound('provider');
    return unchanged;
  }

  let tested: TestOutcome | null = null;
  if (plan.modelsToTest.length > 0) {
    const settings: ConnectionSettings = {
      kind: before.kind,
      apiKey: await readStoredKey(ctx, ctx.db, before),
      baseUrl: plan.baseUrl,
      azure: plan.azure,
    };
    tested = await requirePassingTests(deps, settings, plan.modelsToTest);
  }

  return inConfigTransaction(ctx, actor.tenantId, async (tx) => {
    const now = ctx.clock.now().toISOString();
    const current = await findProvider(tx, actor.tenantId, providerId);
    if (!current) throw notFound('provider');
    if (tested && !sameConnection(before, current)) {
      throw conflict('The provider was changed by someone else while this change was being tested; reload and try again.');
    }
    await tx
      .updateTable('provider_connections')
      .set({
        label: plan.label,
        model_orchestrator: plan.orchestrator,
        model_fast: plan.fast,
        base_url: plan.baseUrl,
        azure: plan.azure === null ? null : JSON.stringify(plan.azure),
        updated_at: now,
        ...(tested ? { last_test: JSON.stringify(lastTestOf(tested, now)) } : {}),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', providerId)
      .execute();
    await writeAudit(tx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'ai.provider.update',
      target: providerId,
      at: now,
      details: { label: plan.label, changes: plan.changes, tested: plan.modelsToTest },
    });
    return (await presentProvider(tx, actor.tenantId, providerId, inFlightWindow(ctx)))!;
  });
}
