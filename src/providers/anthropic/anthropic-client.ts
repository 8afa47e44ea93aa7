// Anthropic's Messages API: streaming on our own wire codec (anthropic-wire.ts), whole answers through
// @ai-sdk/anthropic. The tenant's key is always passed explicitly (never the SDK's ANTHROPIC_API_KEY /
// ANTHROPIC_BASE_URL fallback), and every request goes through the SSRF guard.
import { createAnthropic } from '@ai-sdk/anthropic';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAiSdkGenerate } from '../ai-sdk-client.ts';
import type { ClientOptions } from '../client-options.ts';
import { createWireStreamer, type WireCall } from '../wire-client.ts';
import { anthropicMessagesBody, createAnthropicDecoder } from './anthropic-wire.ts';
import type { ModelCallRequest, ProviderClient } from '../provider.ts';
import { trimSlash } from '../provider-http.ts';
import { mapAnthropicFailure } from './anthropic-error.ts';
import { listAnthropicModels } from './anthropic-models.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicClientOptions extends ClientOptions {
  /** Without /v1: https://api.anthropic.com or a proxy of it. */
  baseUrl: string;
}

/** The API version every Messages request names (the only one Anthropic has published). */
export const ANTHROPIC_VERSION = '2023-06-01';

/** One streaming Messages call at `url`; `keyHeader` is x-api-key at Anthropic, api-key on Azure's Foundry. */
export function anthropicStreamCall(request: ModelCallRequest, url: string, keyHeader: string, apiKey: string, providerName: string): WireCall {
  return {
    url,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', [keyHeader]: apiKey, 'anthropic-version': ANTHROPIC_VERSION },
    body: JSON.stringify(anthropicMessagesBody(request, true)),
    decoder: createAnthropicDecoder(request.model, providerName),
  };
}

/** An AI SDK Messages model at `{baseURL}/messages`, with the key given explicitly. */
export function anthropicLanguageModel(options: { apiKey: string; baseURL: string; fetch: typeof globalThis.fetch; modelId: string }): LanguageModelV4 {
  const provider = createAnthropic({ apiKey: options.apiKey, baseURL: options.baseURL, fetch: options.fetch });
  return provider.messages(options.modelId);
}

export function createAnthropicClient(options: AnthropicClientOptions): ProviderClient {
  const baseUrl = trimSlash(options.baseUrl);
  const errors = { provider: 'Anthropic', apiKey: options.apiKey, map: (f: Parameters<typeof mapAnthropicFailure>[0]) => mapAnthropicFailure(f, options.apiKey) };
  const messagesUrl = `${baseUrl}/v1/messages`;
  const wire = createWireStreamer({
    providerName: 'Anthropic',
    apiKey: options.apiKey,
    call: (request) => anthropicStreamCall(request, messagesUrl, 'x-api-key', options.apiKey, 'Anthropic'),
    mapFailure: errors.map,
    dispatch: options.dispatch,
    timeouts: options.timeouts,
    retry: options.retry,
  });
  return {
    kind: 'anthropic',
    stream: wire.stream,
    streamTo: wire.streamTo,
    generate: createAiSdkGenerate({
      providerName: 'Anthropic',
      apiKey: options.apiKey,
      languageModel: (modelId, fetch) => anthropicLanguageModel({ apiKey: options.apiKey, baseURL: `${baseUrl}/v1`, fetch, modelId }),
      mapFailure: errors.map,
      fetch: options.fetch,
      timeouts: options.timeouts,
      retry: options.retry,
    }),
    listModels: (signal) =>
      listAnthropicModels({
        baseUrl,
        authHeaders: { 'x-api-key': options.apiKey },
        fetch: options.fetch,
        timeoutMs: options.timeouts.firstByteMs,
        errors,
        ...(signal ? { signal } : {}),
      }),
  };
}
