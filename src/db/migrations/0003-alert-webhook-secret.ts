// The budget alert webhook's URL moves into the vault: its path usually holds the webhook's own secret
// (Slack, Teams), so it is stored sealed like an API key, with only its origin in the clear for display.
// A URL stored in plain text by an earlier version is sealed at start (usage/seal-plaintext-webhooks.ts,
// which needs the vault a migration does not have) and its plaintext column cleared.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenant_settings').addColumn('alert_webhook_secret_id', 'text').execute();
  await db.schema.alterTable('tenant_settings').addColumn('alert_webhook_origin', 'text').execute();
}
