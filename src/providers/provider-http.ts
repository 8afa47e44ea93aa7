// Plain JSON GETs to a provider (model lists), with the same error mapping and clocks as model calls.
import { ProviderError } from './provider-error.ts';
import { fromFailure, parseUpstreamFailure, toProviderError, type ToProviderErrorOptions } from './upstream-failure.ts';

export interface GetJsonOptions {
  fetch: typeof globalThis.fetch;
  headers: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs: number;
  errors: ToProviderErrorOptions;
}

/** GETs a URL and parses its JSON body; any failure is thrown as a ProviderError. */
export async function getJson(url: string, options: GetJsonOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, { method: 'GET', headers: options.headers, signal });
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new ProviderError({ code: 'timeout', message: `${options.errors.provider} did not answer the model list within ${Math.round(options.timeoutMs / 1000)} s.` });
    }
    throw toProviderError(error, options.errors);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (!response.ok) throw fromFailure(parseUpstreamFailure(response.status, text, headers), options.errors);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError({ code: 'unexpected_response', message: `${options.errors.provider} answered the model list with something other than JSON.`, status: response.status });
  }
}

/** Our base URL conventions: no trailing slash. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
