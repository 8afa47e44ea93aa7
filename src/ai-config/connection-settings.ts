// From a stored connection to what the provider layer needs: the settings with the decrypted key.
import type { AppContext } from '../app-context.ts';
import type { ProviderConnectionRow } from '../db/schema.ts';
import type { ConnectionSettings } from '../providers/provider.ts';
import type { Secret } from '../vault/secret.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import { SECRET_PURPOSE } from './ai-config-deps.ts';
import { parseAzure } from './provider-connections.ts';

export function settingsFromRow(row: ProviderConnectionRow, apiKey: Secret): ConnectionSettings {
  return { kind: row.kind, apiKey, baseUrl: row.base_url, azure: parseAzure(row.azure) };
}

export async function readStoredKey(ctx: AppContext, db: DbOrTx, row: ProviderConnectionRow): Promise<Secret> {
  return ctx.vault.readSecret(db, row.tenant_id, row.key_secret_id, SECRET_PURPOSE);
}

/** True when two versions of a row reach the same place with the same key (nothing moved under a test). */
export function sameConnection(a: ProviderConnectionRow, b: ProviderConnectionRow): boolean {
  return a.key_secret_id === b.key_secret_id && a.base_url === b.base_url && a.azure === b.azure;
}
