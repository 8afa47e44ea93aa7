// What the chat asks of the AI configuration: which provider a new session pins to, and how to reach a
// provider (settings with the decrypted key). Both are cached per (tenant, config_version) — see
// config-cache.ts for how every instance learns of a change within a second — so a chat turn does not
// decrypt the key or read the settings on every model call, and never uses a rotated-out key once the
// rotation is known.
import type { AppContext } from '../app-context.ts';
import { createProviderClient, providerEnvFromConfig } from '../providers/create-provider-client.ts';
import type { AzureSettings, ConnectionSettings, ProviderClient, ProviderKind } from '../providers/provider.ts';
import { configCacheFor } from './config-cache.ts';
import { readStoredKey, settingsFromRow } from './connection-settings.ts';
import { findProvider, getActiveProviderId, parseAzure } from './provider-connections.ts';

export interface ActiveProvider {
  providerId: string;
  kind: ProviderKind;
  label: string;
  models: { orchestrator: string; fast: string };
  azure: AzureSettings | null;
}

export interface ResolvedConnection {
  providerId: string;
  kind: ProviderKind;
  settings: ConnectionSettings;
  /**
   * The connection's ProviderClient, made on first use and then shared by every turn while this config
   * version is current (it holds no state of a call). Throws ProviderError when the settings cannot work.
   */
  client(): ProviderClient;
  models: { orchestrator: string; fast: string };
  azure: AzureSettings | null;
}

/** The tenant's active provider, or null when AI is off (never configured, or the kill switch). */
export async function getActiveProvider(ctx: AppContext, tenantId: string): Promise<ActiveProvider | null> {
  return configCacheFor(ctx).get(tenantId, 'active', async () => {
    const activeId = await getActiveProviderId(ctx.db, tenantId);
    if (activeId === null) return null;
    const row = await findProvider(ctx.db, tenantId, activeId);
    if (!row) return null;
    return {
      providerId: row.id,
      kind: row.kind,
      label: row.label,
      models: { orchestrator: row.model_orchestrator, fast: row.model_fast },
      azure: parseAzure(row.azure),
    };
  });
}

/** How to reach one of the tenant's providers, key decrypted; null when it no longer exists. */
export async function getConnectionSettings(ctx: AppContext, tenantId: string, providerId: string): Promise<ResolvedConnection | null> {
  return configCacheFor(ctx).get(tenantId, `provider:${providerId}`, async () => {
    const row = await findProvider(ctx.db, tenantId, providerId);
    if (!row) return null;
    const settings = settingsFromRow(row, await readStoredKey(ctx, ctx.db, row));
    let client: ProviderClient | undefined;
    return {
      providerId: row.id,
      kind: row.kind,
      settings,
      client: () => (client ??= createProviderClient(settings, providerEnvFromConfig(ctx.config))),
      models: { orchestrator: row.model_orchestrator, fast: row.model_fast },
      azure: parseAzure(row.azure),
    };
  });
}
