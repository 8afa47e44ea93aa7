// Retries for provider calls: the rule both official SDKs use (x-should-retry overrides; else 408, 409, 429
// and 5xx), exponential backoff with full jitter, the provider's retry-after-ms / retry-after honoured. The
// caller decides WHEN a retry is still allowed (only before the first event reached its own caller).
import type { ProviderErrorCode } from './provider.ts';
import { ProviderError } from './provider-error.ts';

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** First backoff ceiling; doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest retry-after we wait for; a provider asking for more is answered with the error at once. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export const DEFAULT_MAX_RETRIES = 2;

// Never retried, whatever the status or headers say: a retry cannot change the answer.
const NEVER_RETRY: ReadonlySet<ProviderErrorCode> = new Set<ProviderErrorCode>([
  'invalid_api_key', 'permission_denied', 'admin_key_rejected', 'key_format_mismatch', 'model_not_found',
  'quota_exceeded', 'content_filtered', 'upstream_not_allowed', 'bad_endpoint', 'invalid_request',
]);

type HeaderBag = Record<string, string | undefined> | Headers | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** retry-after-ms, then retry-after (seconds or an HTTP date), in milliseconds; null when absent or unreadable. */
export function parseRetryAfterMs(headers: HeaderBag, now: number = Date.now()): number | null {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = header(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Whether an HTTP failure may be retried, by the official SDKs' rule, before our own never-retry codes. */
export function isRetryableStatus(status: number, headers: HeaderBag): boolean {
  const override = header(headers, 'x-should-retry');
  if (override === 'true') return true;
  if (override === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The final say: code-level rules win over status and headers. */
export function isRetryableCode(code: ProviderErrorCode, statusSaysRetry: boolean): boolean {
  return !NEVER_RETRY.has(code) && statusSaysRetry;
}

/** Full-jitter backoff: a random wait in [0, min(max, base·2^attempt)). */
export function backoffDelayMs(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8_000;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(max, base * 2 ** attempt));
}

/** The wait before retry number `attempt` (0-based), or null when the error must not be retried. */
export function retryDelayMs(error: unknown, attempt: number, options: RetryOptions = {}): number | null {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (attempt >= maxRetries) return null;
  if (!(error instanceof ProviderError) || !error.retryable) return null;
  if (error.retryAfterMs !== null) {
    return error.retryAfterMs <= (options.maxRetryAfterMs ?? 60_000) ? error.retryAfterMs : null;
  }
  return backoffDelayMs(attempt, options);
}

/** setTimeout as a promise that an abort ends at once (rejecting with the signal's reason). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `attempt` until it succeeds or fails with an error that may not (or no longer) be retried. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions & { signal?: AbortSignal } = {}): Promise<T> {
  const sleep = options.sleep ?? abortableSleep;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = retryDelayMs(error, n, options);
      if (delay === null || options.signal?.aborted) throw error;
      await sleep(delay, options.signal);
    }
  }
}
