// "Send a test alert": one test payload to the webhook being typed, or to the stored one (opened from the
// vault for this send only), so an admin knows alerts will arrive before a budget is ever crossed.
// A delivery failure is an answer, not an error: 200 with ok false, a code and a hint, as Test connection.
import type { AppContext } from '../app-context.ts';
import { isoNow } from '../clock.ts';
import { invalidRequest } from '../server/errors.ts';
import { postToWebhook, type WebhookOutcome } from './alert-webhook.ts';
import { checkWebhookUrl, readBudgetSettings } from './limits.ts';
import { openWebhook } from './sealed-webhook.ts';

export type WebhookTestResult =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; error: { code: string; message: string; hint: string }; status: number | null };

const HINTS: Record<Exclude<WebhookOutcome, { ok: true }>['code'], string> = {
  http_error: 'The webhook answered with an error: check that the URL is complete and the webhook still exists.',
  upstream_not_allowed: 'Use a public https URL.',
  timeout: "Check that the webhook's host answers, and that Mosaic's network can reach it.",
  unreachable: "Check the URL's host name, and that Mosaic's network can reach it.",
};

export async function testAlertWebhook(ctx: AppContext, input: { tenantId: string; url?: string | undefined }): Promise<WebhookTestResult> {
  let url = input.url;
  if (url !== undefined) {
    checkWebhookUrl(url, ctx.config.allowPrivateUpstreams);
  } else {
    const stored = (await readBudgetSettings(ctx.db, input.tenantId)).alertWebhook;
    if (stored === null) throw invalidRequest('No alert webhook is set: paste one to test it.');
    url = await openWebhook(ctx, input.tenantId, stored);
  }
  const outcome = await postToWebhook(ctx, url, {
    type: 'budget.alert.test',
    tenantId: input.tenantId,
    message: 'A test alert from Mosaic: budget alerts will arrive here.',
    at: isoNow(ctx.clock),
  });
  if (outcome.ok) return outcome;
  return { ok: false, error: { code: outcome.code, message: outcome.message, hint: HINTS[outcome.code] }, status: outcome.status };
}
