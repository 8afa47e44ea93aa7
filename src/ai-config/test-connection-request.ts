// POST /api/admin/ai/test: Test connection for a connection being typed (kind, key, …) or a saved one
// (providerId; the result is kept on the record as lastTest). A failed test is an answer, not an error.
import type { AzureSettings, ConnectionSettings, ProviderKind } from '../providers/provider.ts';
import { notFound } from '../server/errors.ts';
import type { Secret } from '../vault/secret.ts';
import type { Actor, AiConfigDeps } from './ai-config-deps.ts';
import { lastTestOf, runConnectionTest } from './connection-tester.ts';
import { readStoredKey, settingsFromRow } from './connection-settings.ts';
import { findProvider, saveLastTest } from './provider-connections.ts';

export type ConnectionDraft = {
  kind: ProviderKind;
  apiKey: Secret;
  baseUrl?: string | null | undefined;
  azure?: AzureSettings | null | undefined;
};

export type TestRequest = (ConnectionDraft & { model: string }) | { providerId: string; model?: string | undefined };

export type TestAnswer = { ok: true; model: string; latencyMs: number; reply: string } | { ok: false; error: { code: string; message: string; hint: string } };

export function settingsFromDraft(draft: ConnectionDraft): ConnectionSettings {
  return {
    kind: draft.kind,
    apiKey: draft.apiKey,
    baseUrl: draft.kind === 'azure' ? null : (draft.baseUrl ?? null),
    azure: draft.kind === 'azure' ? (draft.azure ?? null) : null,
  };
}

export async function testConnectionRequest(deps: AiConfigDeps, actor: Actor, request: TestRequest): Promise<TestAnswer> {
  const { ctx } = deps;
  if ('providerId' in request) {
    const row = await findProvider(ctx.db, actor.tenantId, request.providerId);
    if (!row) throw notFound('provider');
    const settings = settingsFromRow(row, await readStoredKey(ctx, ctx.db, row));
    const outcome = await runConnectionTest(deps, settings, request.model ?? row.model_orchestrator);
    await saveLastTest(ctx.db, actor.tenantId, row.id, lastTestOf(outcome, ctx.clock.now().toISOString()));
    return present(outcome);
  }
  return present(await runConnectionTest(deps, settingsFromDraft(request), request.model));
}

function present(outcome: Awaited<ReturnType<typeof runConnectionTest>>): TestAnswer {
  return outcome.ok
    ? { ok: true, model: outcome.model, latencyMs: outcome.latencyMs, reply: outcome.reply }
    : { ok: false, error: outcome.error };
}
