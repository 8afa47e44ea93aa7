// Azure AI Foundry: an endpoint, the `api-key` header, deployment names as models, and two API styles.
// openai: Chat Completions at {endpoint}/openai/v1/chat/completions (model = deployment), or with an
// apiVersion the dated {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=….
// anthropic: Claude on Foundry, Messages at {endpoint}/anthropic/v1/messages.
// Streaming goes on our own wire codecs (the same as OpenAI's and Anthropic's), whole answers through the
// AI SDK (@ai-sdk/azure, @ai-sdk/anthropic).
import { createAzure } from '@ai-sdk/azure';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAiSdkGenerate } from '../ai-sdk-client.ts';
import type { ClientOptions } from '../client-options.ts';
import { anthropicLanguageModel, anthropicStreamCall } from '../anthropic/anthropic-client.ts';
import { openAIChatCallSettings, openAIChatStreamCall } from '../openai/openai-client.ts';
import { createWireStreamer, type WireCall } from '../wire-client.ts';
import type { AzureSettings, ModelCallRequest, ProviderClient } from '../provider.ts';
import type { UpstreamFailure } from '../upstream-failure.ts';
import { normalizeAzureEndpoint } from './azure-endpoint.ts';
import { mapAzureFailure } from './azure-error.ts';
import { listAzureModels } from './azure-models.ts';

export interface AzureClientOptions extends ClientOptions {
  azure: AzureSettings;
}

/** Foundry's Messages API takes the key as `api-key`: the SDK's x-api-key is renamed on the way out. */
export function withAzureKeyHeader(fetchFn: typeof globalThis.fetch): typeof globalThis.fetch {
  return ((input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const key = headers.get('x-api-key');
    if (key !== null) {
      headers.delete('x-api-key');
      headers.set('api-key', key);
    }
    return fetchFn(input, { ...init, headers });
  }) as typeof globalThis.fetch;
}

export function azureOpenAIChatModel(options: { apiKey: string; endpoint: string; apiVersion: string | null; fetch: typeof globalThis.fetch; deployment: string }): LanguageModelV4 {
  const azure =
    options.apiVersion === null
      ? createAzure({ apiKey: options.apiKey, baseURL: `${options.endpoint}/openai/v1`, fetch: options.fetch })
      : createAzure({
          apiKey: options.apiKey,
          baseURL: `${options.endpoint}/openai`,
          apiVersion: options.apiVersion,
          useDeploymentBasedUrls: true,
          fetch: options.fetch,
        });
  return azure.chat(options.deployment);
}

export function createAzureClient(options: AzureClientOptions): ProviderClient {
  const endpoint = normalizeAzureEndpoint(options.azure.endpoint);
  const { apiStyle, apiVersion } = options.azure;
  const map = (f: UpstreamFailure) => mapAzureFailure(f, options.apiKey, apiStyle);
  const errors = { provider: 'Azure AI Foundry', apiKey: options.apiKey, map };
  const provider = 'Azure AI Foundry';
  const keyHeaders = { 'api-key': options.apiKey };
  const streamCall = (request: ModelCallRequest): WireCall => {
    if (apiStyle === 'anthropic') return anthropicStreamCall(request, `${endpoint}/anthropic/v1/messages`, 'api-key', options.apiKey, provider);
    const url =
      apiVersion === null
        ? `${endpoint}/openai/v1/chat/completions`
        : `${endpoint}/openai/deployments/${encodeURIComponent(request.model)}/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
    return openAIChatStreamCall(request, url, keyHeaders, provider, 'azure');
  };
  const wire = createWireStreamer({
    providerName: provider,
    apiKey: options.apiKey,
    call: streamCall,
    mapFailure: map,
    dispatch: options.dispatch,
    timeouts: options.timeouts,
    retry: options.retry,
  });
  return {
    kind: 'azure',
    stream: wire.stream,
    streamTo: wire.streamTo,
    generate: createAiSdkGenerate({
      providerName: provider,
      apiKey: options.apiKey,
      languageModel: (deployment, fetch) =>
        apiStyle === 'anthropic'
          ? anthropicLanguageModel({ apiKey: options.apiKey, baseURL: `${endpoint}/anthropic/v1`, fetch: withAzureKeyHeader(fetch), modelId: deployment })
          : azureOpenAIChatModel({ apiKey: options.apiKey, endpoint, apiVersion, fetch, deployment }),
      mapFailure: map,
      ...(apiStyle === 'openai' ? { callSettings: openAIChatCallSettings } : {}),
      fetch: options.fetch,
      timeouts: options.timeouts,
      retry: options.retry,
    }),
    // Claude deployments are typed by the admin; the OpenAI-style list may be base models, or absent.
    listModels: async (signal) =>
      apiStyle === 'anthropic'
        ? []
        : listAzureModels({ endpoint, apiKey: options.apiKey, fetch: options.fetch, timeoutMs: options.timeouts.firstByteMs, errors, ...(signal ? { signal } : {}) }),
  };
}
