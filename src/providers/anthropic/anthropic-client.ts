// Anthropic through @ai-sdk/anthropic: the tenant's key always passed explicitly (never the SDK's
// ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL fallback), our guarded fetch, the Messages API.
import { createAnthropic } from '@ai-sdk/anthropic';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAiSdkClient } from '../ai-sdk-client.ts';
import type { ProviderTimeouts } from '../provider-timeouts.ts';
import type { ProviderClient } from '../provider.ts';
import { trimSlash } from '../provider-http.ts';
import type { RetryOptions } from '../retry.ts';
import { mapAnthropicFailure } from './anthropic-error.ts';
import { listAnthropicModels } from './anthropic-models.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicClientOptions {
  apiKey: string;
  /** Without /v1: https://api.anthropic.com or a proxy of it. */
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeouts: ProviderTimeouts;
  retry: RetryOptions;
}

/** An AI SDK Messages model at `{baseURL}/messages`, with the key given explicitly. */
export function anthropicLanguageModel(options: { apiKey: string; baseURL: string; fetch: typeof globalThis.fetch; modelId: string }): LanguageModelV4 {
  const provider = createAnthropic({ apiKey: options.apiKey, baseURL: options.baseURL, fetch: options.fetch });
  return provider.messages(options.modelId);
}

export function createAnthropicClient(options: AnthropicClientOptions): ProviderClient {
  const baseUrl = trimSlash(options.baseUrl);
  const errors = { provider: 'Anthropic', apiKey: options.apiKey, map: (f: Parameters<typeof mapAnthropicFailure>[0]) => mapAnthropicFailure(f, options.apiKey) };
  return createAiSdkClient({
    kind: 'anthropic',
    providerName: 'Anthropic',
    apiKey: options.apiKey,
    languageModel: (modelId, fetch) => anthropicLanguageModel({ apiKey: options.apiKey, baseURL: `${baseUrl}/v1`, fetch, modelId }),
    mapFailure: errors.map,
    listModels: (signal) =>
      listAnthropicModels({
        baseUrl,
        authHeaders: { 'x-api-key': options.apiKey },
        fetch: options.fetch,
        timeoutMs: options.timeouts.firstByteMs,
        errors,
        ...(signal ? { signal } : {}),
      }),
    fetch: options.fetch,
    timeouts: options.timeouts,
    retry: options.retry,
  });
}
