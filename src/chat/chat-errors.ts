// The errors a chat turn ends with, in the contract's shape: before the stream starts they are the JSON
// answer's status and body; after it, the `error` event's {code, message} and the stored error_code.
import { isProviderError } from '../providers/provider-error.ts';
import type { ProviderErrorCode } from '../providers/provider.ts';
import { AppError } from '../server/errors.ts';

/** The kill switch was pulled while the answer was being written (or before it began). */
export function aiDisabled(): AppError {
  return new AppError(409, 'ai_disabled', 'AI was turned off for your organisation by a Tenant Admin.', {
    hint: 'Ask your Tenant Admin to activate a provider in Admin → AI Configuration.',
  });
}

/** Why an answer was aborted because the client went away: no one is left to tell. */
export class ClientGone extends Error {
  override name = 'ClientGone';
  constructor() {
    super('the client closed the connection');
  }
}

const STATUS_OF: Partial<Record<ProviderErrorCode, number>> = {
  rate_limited: 429,
  provider_overloaded: 503,
  timeout: 504,
  content_filtered: 422,
};

/** A turn's failure as the chat reports it: ours as is, a provider's with its code and an upstream status. */
export function fromProviderFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isProviderError(error)) {
    const headers: Record<string, string> = {};
    if (error.code === 'rate_limited' && error.retryAfterMs !== null) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    return new AppError(STATUS_OF[error.code] ?? 502, error.code, error.message, { hint: error.hint }, headers);
  }
  return new AppError(500, 'internal_error', 'The answer failed on our side; it has been logged.');
}
