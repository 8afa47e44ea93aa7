// OpenAI's failures → contract codes. Body `{error:{message,type,param,code}}`, header `x-request-id`
// (provider-wire.md, "OpenAI Chat Completions"; fixtures error-insufficient-quota.json and
// error-unsupported-parameter.json).
import type { MappedFailure, UpstreamFailure } from '../upstream-failure.ts';
import { quoteProvider } from '../upstream-failure.ts';

/** Maps one OpenAI (or OpenAI-compatible) failure; `provider` names it in the message. */
export function mapOpenAIFailure(failure: UpstreamFailure, apiKey: string, provider = 'OpenAI'): MappedFailure {
  const message = quoteProvider(provider, failure, apiKey);
  const { status, type, code } = failure;

  if (status === 401 || code === 'invalid_api_key') return { code: 'invalid_api_key', message };
  if (status === 403) {
    if (code === 'unsupported_country_region_territory') {
      return { code: 'permission_denied', message, hint: "OpenAI does not serve the region Mosaic's server calls from: run Mosaic in a supported region or use another provider." };
    }
    return { code: 'permission_denied', message };
  }
  // Out of credit is a 429 too, but waiting never helps: it is never retried (retry.ts NEVER_RETRY).
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return { code: 'quota_exceeded', message };
  if (status === 429) return { code: 'rate_limited', message };
  if (status === 404) {
    if (code === 'model_not_found' || /model/i.test(failure.message ?? '')) return { code: 'model_not_found', message };
    return { code: 'unexpected_response', message, hint: 'The address answered 404: check that the base URL ends in /v1 (https://api.openai.com/v1) or is an OpenAI-compatible API.' };
  }
  if (status === 408 || status === 504) return { code: 'timeout', message };
  if (status === 503) return { code: 'provider_overloaded', message };
  if (status !== null && status >= 500) return { code: 'provider_error', message };
  if (status === 400 || status === 422 || status === 413) {
    if (code === 'unsupported_parameter' || code === 'unsupported_value') {
      return { code: 'invalid_request', message, hint: 'This model does not accept one of the settings Mosaic sent: choose another model, and report it with the request id.' };
    }
    return { code: 'invalid_request', message };
  }
  if (!failure.shaped) return { code: 'unexpected_response', message };
  if (status === null) return { code: 'provider_error', message };
  return { code: status >= 400 && status < 500 ? 'invalid_request' : 'provider_error', message };
}
