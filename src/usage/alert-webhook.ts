// Delivering to a budget alert webhook: one POST of JSON through the SSRF guard, with a 5 s clock, and an
// outcome that names what went wrong without the URL's path and query (which often hold the webhook's own
// secret). Used by the alerts themselves (budget-alerts.ts) and by "Send a test alert".
import type { AppContext } from '../app-context.ts';
import { createGuardedFetch } from '../providers/ssrf-guard.ts';
import { webhookOrigin } from './sealed-webhook.ts';

export const WEBHOOK_TIMEOUT_MS = 5_000;

export type WebhookOutcome =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; code: 'http_error' | 'upstream_not_allowed' | 'timeout' | 'unreachable'; message: string; status: number | null };

/** POSTs `payload` to `url`; never throws. */
export async function postToWebhook(deps: Pick<AppContext, 'config'>, url: string, payload: unknown): Promise<WebhookOutcome> {
  const origin = webhookOrigin(url);
  const started = performance.now();
  try {
    const guardedFetch = createGuardedFetch({ allowPrivate: deps.config.allowPrivateUpstreams, connectTimeoutMs: WEBHOOK_TIMEOUT_MS });
    const response = await guardedFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mosaic budget alert' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) return { ok: false, code: 'http_error', message: `${origin} answered ${response.status}.`, status: response.status };
    return { ok: true, status: response.status, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // undici wraps a refused connection as TypeError('fetch failed') with the guard's error as its cause.
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error && 'code' in cause ? cause : (error as Error);
    const code = (reason as { code?: unknown }).code;
    if (code === 'upstream_not_allowed') return { ok: false, code, message: reason.message, status: null };
    if (reason.name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return { ok: false, code: 'timeout', message: `${origin} did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s.`, status: null };
    }
    return { ok: false, code: 'unreachable', message: `${origin} could not be reached (${typeof code === 'string' ? code : reason.name}).`, status: null };
  }
}
