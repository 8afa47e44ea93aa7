// POST /api/admin/ai/models: the model picker's list, from the provider's own list with the key being
// added (or a saved provider's key), marked with the catalog's recommendations and sorted so that the
// recommended ones come first. Azure's data-plane key may list nothing: deployment names are typed.
import { checkKeyFormat } from '../providers/key-format.ts';
import { createProviderClient } from '../providers/create-provider-client.ts';
import { findCatalogModel, recommendationFor, recommendedModels, type ModelRole } from '../providers/catalog/model-catalog.ts';
import { isProviderError } from '../providers/provider-error.ts';
import type { ConnectionSettings, ListedModel, ProviderKind } from '../providers/provider.ts';
import { notFound } from '../server/errors.ts';
import type { Actor, AiConfigDeps } from './ai-config-deps.ts';
import { testFailedError } from './connection-tester.ts';
import { readStoredKey, settingsFromRow } from './connection-settings.ts';
import { settingsFromDraft, type ConnectionDraft } from './test-connection-request.ts';
import { findProvider } from './provider-connections.ts';

export interface PickerModel {
  id: string;
  displayName: string;
  recommendedFor: ModelRole[];
}

/**
 * Pure: the catalog's first choice for the orchestrator first (so a picker that preselects the top entry
 * picks the current recommendation, not an older model of the same class), then the other orchestrator
 * models, then the first choice and the others for fast flows, then the rest, each by name.
 */
export function toPickerModels(kind: ProviderKind, listed: ListedModel[]): PickerModel[] {
  const primary = recommendedModels(kind);
  const isPrimary = (id: string, wanted: string | null) => wanted !== null && findCatalogModel(kind, id)?.id === wanted;
  const rank = (m: PickerModel) =>
    isPrimary(m.id, primary.orchestrator) ? 0
    : m.recommendedFor.includes('orchestrator') ? 1
    : isPrimary(m.id, primary.fast) ? 2
    : m.recommendedFor.includes('fast') ? 3
    : 4;
  const seen = new Set<string>();
  return listed
    .filter((m) => !seen.has(m.id) && seen.add(m.id))
    .map((m) => ({ id: m.id, displayName: m.displayName || m.id, recommendedFor: recommendationFor(kind, m.id) }))
    .sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}

export async function listModelsRequest(deps: AiConfigDeps, actor: Actor, request: ConnectionDraft | { providerId: string }): Promise<{ models: PickerModel[] }> {
  const { ctx } = deps;
  let settings: ConnectionSettings;
  if ('providerId' in request) {
    const row = await findProvider(ctx.db, actor.tenantId, request.providerId);
    if (!row) throw notFound('provider');
    settings = settingsFromRow(row, await readStoredKey(ctx, ctx.db, row));
  } else {
    settings = settingsFromDraft(request);
  }
  const refused = checkKeyFormat(settings.kind, settings.apiKey.reveal());
  if (refused) throw testFailedError(refused.toJSON());
  try {
    const client = createProviderClient(settings, deps.providerEnv);
    const listed = await client.listModels(AbortSignal.timeout(deps.testTimeoutMs));
    return { models: toPickerModels(settings.kind, listed) };
  } catch (err) {
    if (isProviderError(err)) throw testFailedError(err.toJSON());
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      throw testFailedError({ code: 'timeout', message: `The provider did not list its models within ${Math.round(deps.testTimeoutMs / 1000)} s.`, hint: 'Try again; if it keeps happening, check the base URL and the network between Mosaic and the provider.' });
    }
    ctx.logger.error({ err: err instanceof Error ? err.message : String(err), kind: settings.kind }, 'listing models failed unexpectedly');
    throw testFailedError({ code: 'provider_error', message: 'Listing the models failed unexpectedly.', hint: "Try again; if it keeps failing, check the provider's status page." });
  }
}
