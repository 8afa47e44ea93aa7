// generate(): the non-streaming model calls (test connection, a chat's title and follow-ups) on the Vercel
// AI SDK's generateText: one model call (tools have no execute, so the SDK never loops), the SDK's own
// retries off (we retry), the clocks of provider-timeouts.ts, and every failure turned into a
// ProviderError by the provider's mapper. The chat's streaming calls are wire-client.ts's: measured, the
// SDK's streaming path cost about five times the CPU of speaking the wire ourselves (issue 8).
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import type { FinishReason as SdkFinishReason, JSONSchema7, LanguageModelUsage, ToolSet } from 'ai';
import { convertToModelMessages } from './convert-to-model-messages.ts';
import { runAttempts } from './call-control.ts';
import { timeoutError, withFirstByteTimeout, type ProviderTimeouts } from './provider-timeouts.ts';
import type { RetryOptions } from './retry.ts';
import type { FailureMapper } from './upstream-failure.ts';
import type { FinishReason, ModelCallRequest, ModelCallResult, ProviderClient, ToolSpec, Usage } from './provider.ts';

/** What a provider folder supplies; everything else is common. */
export interface AiSdkClientConfig {
  /** Names the provider in error messages ("Anthropic", "Azure AI Foundry"). */
  providerName: string;
  /** Only to redact echoes of it from provider messages. */
  apiKey: string;
  /** Builds the SDK model for one call; `fetch` carries that call's first-byte clock. */
  languageModel: (modelId: string, fetch: typeof globalThis.fetch) => LanguageModelV4;
  mapFailure: FailureMapper;
  /** Provider-specific call options (OpenAI: max_completion_tokens instead of max_tokens). */
  callSettings?: (request: ModelCallRequest) => {
    maxOutputTokens?: number;
    providerOptions?: Record<string, Record<string, string | number | boolean>>;
  };
  fetch: typeof globalThis.fetch;
  timeouts: ProviderTimeouts;
  retry: RetryOptions;
}

export function mapFinishReason(reason: SdkFinishReason): FinishReason {
  return reason === 'interrupted' ? 'other' : reason;
}

export function mapUsage(usage: LanguageModelUsage | undefined): Usage {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}

function toToolSet(specs: readonly ToolSpec[] | undefined): ToolSet | undefined {
  if (specs === undefined || specs.length === 0) return undefined;
  const tools: ToolSet = {};
  for (const spec of specs) {
    // No execute: the SDK hands the call back to us and stops (the agent loop owns the steps).
    tools[spec.name] = tool({ description: spec.description, inputSchema: jsonSchema(spec.inputSchema as JSONSchema7) });
  }
  return tools;
}

export function createAiSdkGenerate(config: AiSdkClientConfig): ProviderClient['generate'] {
  const errorOptions = { provider: config.providerName, apiKey: config.apiKey, map: config.mapFailure };

  function prepare(request: ModelCallRequest, fetchFn: typeof globalThis.fetch, signal: AbortSignal) {
    const extra = config.callSettings?.(request) ?? { maxOutputTokens: request.maxOutputTokens };
    const tools = toToolSet(request.tools);
    return {
      model: config.languageModel(request.model, fetchFn),
      ...(request.system === undefined ? {} : { system: request.system }),
      messages: convertToModelMessages(request.messages),
      ...(tools === undefined ? {} : { tools }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...extra,
      maxRetries: 0,
      stopWhen: stepCountIs(1),
      // Errors come to us as stream parts / rejections; the SDK's default would also print them.
      onError: () => {},
      abortSignal: signal,
    };
  }

  function timedFetch(attempt: AbortController): typeof globalThis.fetch {
    const ms = config.timeouts.firstByteMs;
    return withFirstByteTimeout(config.fetch, ms, () => attempt.abort(timeoutError(config.providerName, 'first-byte', ms)));
  }

  async function generate(request: ModelCallRequest): Promise<ModelCallResult> {
    const options = { caller: request.signal, totalMs: config.timeouts.totalMs, retry: config.retry, errors: errorOptions };
    return runAttempts(options, async (attempt) => {
      try {
        const result = await generateText(prepare(request, timedFetch(attempt), attempt.signal));
        return {
          text: result.text,
          toolCalls: result.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, input: call.input })),
          finishReason: mapFinishReason(result.finishReason),
          usage: mapUsage(result.usage),
          model: request.model,
          ...(result.response.modelId ? { responseModel: result.response.modelId } : {}),
        };
      } finally {
        // Ends the request's connection if the SDK left it open (a failure part-way through).
        attempt.abort();
      }
    });
  }

  return generate;
}
