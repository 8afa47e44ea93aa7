// Alert webhook URLs stored in plain text by a version before migration 0003 are sealed into the vault
// at start (a migration cannot: it has no vault). Each row is claimed by the UPDATE that clears its
// plaintext, so two instances starting together seal it once; the version bump refreshes every
// instance's cached budget settings.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { sealWebhook } from './sealed-webhook.ts';

/** Seals every plaintext webhook URL left; returns how many. */
export async function sealPlaintextWebhooks(ctx: Pick<AppContext, 'db' | 'vault' | 'logger'>): Promise<number> {
  const rows = await ctx.db.selectFrom('tenant_settings').select(['tenant_id', 'alert_webhook_url']).where('alert_webhook_url', 'is not', null).execute();
  let sealed = 0;
  for (const row of rows) {
    const url = row.alert_webhook_url;
    if (url === null) continue;
    const done = await ctx.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('tenant_settings')
        .set({ alert_webhook_url: null, config_version: sql<number>`config_version + 1` })
        .where('tenant_id', '=', row.tenant_id)
        .where('alert_webhook_url', '=', url)
        .returning(['alert_webhook_secret_id'])
        .executeTakeFirst();
      if (!claimed) return false; // another instance sealed it, or an admin changed it meanwhile
      // Only an older version writes the plaintext column (this one clears it on every save), so the
      // plaintext is the newer setting: it replaces a sealed one.
      if (claimed.alert_webhook_secret_id !== null) await ctx.vault.deleteSecret(trx, row.tenant_id, claimed.alert_webhook_secret_id);
      const sealed = await sealWebhook(ctx.vault, trx, row.tenant_id, url);
      await trx
        .updateTable('tenant_settings')
        .set({ alert_webhook_secret_id: sealed.secretId, alert_webhook_origin: sealed.origin })
        .where('tenant_id', '=', row.tenant_id)
        .execute();
      return true;
    });
    if (done) sealed += 1;
  }
  if (sealed > 0) ctx.logger.info({ sealed }, 'alert webhook URLs stored in plain text were sealed in the vault');
  return sealed;
}
