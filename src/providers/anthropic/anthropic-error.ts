// Anthropic's failures → contract codes. Body `{type:"error",error:{type,message},request_id}`, header
// `request-id` (provider-wire.md, "Anthropic Messages API").
import type { MappedFailure, UpstreamFailure } from '../upstream-failure.ts';
import { quoteProvider } from '../upstream-failure.ts';

const BILLING_WORDS = /credit|billing|spend|balance|payment|usage limit/i;

/** Maps one Anthropic failure (HTTP answer or mid-stream error event); `provider` names it in the message. */
export function mapAnthropicFailure(failure: UpstreamFailure, apiKey: string, provider = 'Anthropic'): MappedFailure {
  const message = quoteProvider(provider, failure, apiKey);
  const type = failure.type;
  const status = failure.status;
  const saysBilling = BILLING_WORDS.test(failure.message ?? '');

  if (type === 'authentication_error' || status === 401) return { code: 'invalid_api_key', message };
  if (type === 'permission_error' || status === 403) return { code: 'permission_denied', message };
  if (type === 'billing_error' || status === 402) return { code: 'quota_exceeded', message };
  if (type === 'overloaded_error' || status === 529) return { code: 'provider_overloaded', message };
  if (type === 'rate_limit_error' || status === 429) {
    // A spend-cap 429 carries no retry-after and talks about credit or spend: waiting will not help.
    const hasRetryAfter = failure.headers['retry-after'] !== undefined || failure.headers['retry-after-ms'] !== undefined;
    return !hasRetryAfter && saysBilling ? { code: 'quota_exceeded', message } : { code: 'rate_limited', message };
  }
  if (type === 'not_found_error' || status === 404) {
    if (failure.shaped) return { code: 'model_not_found', message };
    return { code: 'unexpected_response', message, hint: 'The address answered 404: check that the base URL is the Anthropic API (https://api.anthropic.com) or a proxy of it.' };
  }
  if (type === 'timeout_error' || status === 504 || status === 408) return { code: 'timeout', message };
  if (type === 'request_too_large' || status === 413) return { code: 'invalid_request', message, hint: 'The conversation is too large for the model: start a new chat or shorten the question.' };
  if (type === 'invalid_request_error' || status === 400) {
    return saysBilling ? { code: 'quota_exceeded', message } : { code: 'invalid_request', message };
  }
  if (type === 'api_error' || (status !== null && status >= 500)) {
    return status === 503 ? { code: 'provider_overloaded', message } : { code: 'provider_error', message };
  }
  if (!failure.shaped) return { code: 'unexpected_response', message };
  return { code: status !== null && status >= 400 && status < 500 ? 'invalid_request' : 'provider_error', message };
}
