// OpenAI on the Chat Completions API on purpose (not the Responses API): works with every
// OpenAI-compatible gateway, streams usage through stream_options.include_usage, and the output limit
// goes as max_completion_tokens (reasoning models reject max_tokens: fixture
// openai/error-unsupported-parameter.json). Streaming on our own wire codec (openai-chat-wire.ts), whole
// answers through @ai-sdk/openai's chat model. The key is always passed explicitly.
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAiSdkGenerate } from '../ai-sdk-client.ts';
import type { ClientOptions } from '../client-options.ts';
import { createWireStreamer, type WireCall } from '../wire-client.ts';
import { createOpenAIChatDecoder, openAIChatBody, type OpenAIChatDialect } from './openai-chat-wire.ts';
import type { ModelCallRequest, ProviderClient } from '../provider.ts';
import { trimSlash } from '../provider-http.ts';
import type { UpstreamFailure } from '../upstream-failure.ts';
import { mapOpenAIFailure } from './openai-error.ts';
import { listOpenAIModels, openAIModelsUrl } from './openai-models.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIClientOptions extends ClientOptions {
  /** With /v1: https://api.openai.com/v1 or an OpenAI-compatible gateway. */
  baseUrl: string;
}

/** One streaming Chat Completions call at `url` with the key in `headers` (OpenAI's bearer, Azure's api-key). */
export function openAIChatStreamCall(
  request: ModelCallRequest,
  url: string,
  keyHeaders: Record<string, string>,
  providerName: string,
  dialect: OpenAIChatDialect = 'openai',
): WireCall {
  return {
    url,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...keyHeaders },
    body: JSON.stringify(openAIChatBody(request, true, dialect)),
    decoder: createOpenAIChatDecoder(request.model, providerName, dialect),
  };
}

/** The SDK sends max_tokens for models it does not know as reasoning models; this sends max_completion_tokens instead. */
export function openAIChatCallSettings(request: ModelCallRequest): { providerOptions: { openai: { maxCompletionTokens: number } } } {
  return { providerOptions: { openai: { maxCompletionTokens: request.maxOutputTokens } } };
}

export function openAIChatLanguageModel(options: { apiKey: string; baseURL: string; fetch: typeof globalThis.fetch; modelId: string }): LanguageModelV4 {
  return createOpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, fetch: options.fetch }).chat(options.modelId);
}

export function createOpenAIClient(options: OpenAIClientOptions): ProviderClient {
  const baseUrl = trimSlash(options.baseUrl);
  const map = (f: UpstreamFailure) => mapOpenAIFailure(f, options.apiKey);
  const completionsUrl = `${baseUrl}/chat/completions`;
  const keyHeaders = { authorization: `Bearer ${options.apiKey}` };
  const wire = createWireStreamer({
    providerName: 'OpenAI',
    apiKey: options.apiKey,
    call: (request) => openAIChatStreamCall(request, completionsUrl, keyHeaders, 'OpenAI'),
    mapFailure: map,
    dispatch: options.dispatch,
    timeouts: options.timeouts,
    retry: options.retry,
  });
  return {
    kind: 'openai',
    stream: wire.stream,
    streamTo: wire.streamTo,
    generate: createAiSdkGenerate({
      providerName: 'OpenAI',
      apiKey: options.apiKey,
      languageModel: (modelId, fetch) => openAIChatLanguageModel({ apiKey: options.apiKey, baseURL: baseUrl, fetch, modelId }),
      mapFailure: map,
      callSettings: openAIChatCallSettings,
      fetch: options.fetch,
      timeouts: options.timeouts,
      retry: options.retry,
    }),
    listModels: (signal) =>
      listOpenAIModels({
        url: openAIModelsUrl(baseUrl),
        authHeaders: keyHeaders,
        fetch: options.fetch,
        timeoutMs: options.timeouts.firstByteMs,
        errors: { provider: 'OpenAI', apiKey: options.apiKey, map },
        ...(signal ? { signal } : {}),
      }),
  };
}
