// The budget alert webhook's URL as a stored secret: its path usually holds the webhook's own token (Slack,
// Teams), so it is sealed in the vault like an API key, kept beside its origin (safe to show and log), and
// opened only to send. One place for both directions, used by the limits, the alerts and the start-up
// sealing of URLs an earlier version stored in plain text.
import type { AppContext } from '../app-context.ts';
import { Secret } from '../vault/secret.ts';
import type { DbOrTx } from '../vault/vault-api.ts';

/** The vault purpose of a sealed alert webhook URL (bound into its ciphertext). */
export const WEBHOOK_SECRET_PURPOSE = 'alert_webhook';

/** A sealed webhook as tenant_settings holds it. */
export interface SealedWebhook {
  secretId: string;
  origin: string;
}

/** scheme://host[:port] of a webhook URL: safe to log, unlike its path and query. */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/** Seals `url` inside the caller's transaction. */
export async function sealWebhook(vault: AppContext['vault'], db: DbOrTx, tenantId: string, url: string): Promise<SealedWebhook> {
  const secretId = await vault.storeSecret(db, tenantId, WEBHOOK_SECRET_PURPOSE, new Secret(url));
  return { secretId, origin: webhookOrigin(url) };
}

/** The URL, for the one send that needs it. Throws VaultError when it cannot be opened. */
export async function openWebhook(deps: Pick<AppContext, 'db' | 'vault'>, tenantId: string, webhook: SealedWebhook): Promise<string> {
  return (await deps.vault.readSecret(deps.db, tenantId, webhook.secretId, WEBHOOK_SECRET_PURPOSE)).reveal();
}
