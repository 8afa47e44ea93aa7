// The ProviderClient every provider shares, on the Vercel AI SDK: one model call per stream() or
// generate() (tools have no execute, so the SDK never loops), the SDK's own retries off (we retry, only
// before the first event reached the caller), the clocks of provider-timeouts.ts, and every failure turned
// into a ProviderError by the provider's mapper.
//
// stream() calls the provider model's doStream() (the LanguageModelV4 spec) directly instead of
// streamText(): the provider package still builds the request and parses the SSE, but streamText's
// step/telemetry/output layers (five more TransformStreams and an async transform per chunk) cost about
// as much CPU per relayed chunk as everything else together, for a single call with no tools executed.
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import type { FinishReason as SdkFinishReason, JSONSchema7, LanguageModelUsage, ToolSet } from 'ai';
import { convertToLanguageModelPrompt, parseToolInput, toFunctionTools } from './convert-to-language-model-prompt.ts';
import { convertToModelMessages } from './convert-to-model-messages.ts';
import { ProviderError } from './provider-error.ts';
import { timeoutError, withFirstByteTimeout, type ProviderTimeouts } from './provider-timeouts.ts';
import { abortableSleep, retryDelayMs, type RetryOptions } from './retry.ts';
import { toProviderError, type FailureMapper } from './upstream-failure.ts';
import type {
  FinishReason,
  ListedModel,
  ModelCallRequest,
  ModelCallResult,
  ModelStreamEvent,
  ProviderClient,
  ProviderKind,
  ToolSpec,
  Usage,
} from './provider.ts';

/** What a provider folder supplies; everything else is common. */
export interface AiSdkClientConfig {
  kind: ProviderKind;
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
  listModels: (signal?: AbortSignal) => Promise<ListedModel[]>;
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

/** The spec's usage (what doStream reports) in our shape. */
export function mapSpecUsage(usage: LanguageModelV4Usage | undefined): Usage {
  return { inputTokens: usage?.inputTokens.total ?? 0, outputTokens: usage?.outputTokens.total ?? 0 };
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

/** One call's signals: the caller's, the total clock, and this attempt's own (first-byte clock, early exit). */
class CallControl {
  readonly total = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly caller: AbortSignal | undefined;

  constructor(caller: AbortSignal | undefined, provider: string, totalMs: number) {
    this.caller = caller;
    this.#timer = setTimeout(() => this.total.abort(timeoutError(provider, 'total', totalMs)), totalMs);
  }

  /** For the wait between attempts: the caller and the total clock end it. */
  get waitSignal(): AbortSignal {
    return AbortSignal.any([this.total.signal, ...(this.caller ? [this.caller] : [])]);
  }

  attempt(): AbortController {
    return new AbortController();
  }

  signalFor(attempt: AbortController): AbortSignal {
    return AbortSignal.any([attempt.signal, this.total.signal, ...(this.caller ? [this.caller] : [])]);
  }

  /** Why the call was aborted, when it was: the caller's reason wins, then our clocks. */
  abortReason(attempt: AbortController): unknown {
    if (this.caller?.aborted) return this.caller.reason;
    if (this.total.signal.aborted) return this.total.signal.reason;
    if (attempt.signal.aborted) return attempt.signal.reason;
    return undefined;
  }

  done(): void {
    clearTimeout(this.#timer);
  }
}

export function createAiSdkClient(config: AiSdkClientConfig): ProviderClient {
  const errorOptions = { provider: config.providerName, apiKey: config.apiKey, map: config.mapFailure };
  const sleep = config.retry.sleep ?? abortableSleep;

  function settle(error: unknown, control: CallControl, attempt: AbortController): unknown {
    const aborted = control.abortReason(attempt);
    if (control.caller?.aborted) return control.caller.reason;
    if (aborted instanceof ProviderError) return aborted;
    return toProviderError(error, errorOptions);
  }

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

  // What streamText would pass to doStream for this request (toolChoice auto, no raw chunks).
  function streamOptions(request: ModelCallRequest, signal: AbortSignal): LanguageModelV4CallOptions {
    const extra = config.callSettings?.(request) ?? { maxOutputTokens: request.maxOutputTokens };
    const tools = toFunctionTools(request.tools);
    return {
      prompt: convertToLanguageModelPrompt(request.system, request.messages),
      ...(tools === undefined ? {} : { tools }),
      toolChoice: { type: 'auto' },
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...extra,
      includeRawChunks: false,
      abortSignal: signal,
    };
  }

  function timedFetch(attempt: AbortController): typeof globalThis.fetch {
    const ms = config.timeouts.firstByteMs;
    return withFirstByteTimeout(config.fetch, ms, () => attempt.abort(timeoutError(config.providerName, 'first-byte', ms)));
  }

  async function* stream(request: ModelCallRequest): AsyncGenerator<ModelStreamEvent> {
    const control = new CallControl(request.signal, config.providerName, config.timeouts.totalMs);
    let yielded = false;
    try {
      for (let n = 0; ; n++) {
        const attempt = control.attempt();
        let reader: ReadableStreamDefaultReader<LanguageModelV4StreamPart> | undefined;
        try {
          const model = config.languageModel(request.model, timedFetch(attempt));
          const { stream: parts } = await model.doStream(streamOptions(request, control.signalFor(attempt)));
          reader = parts.getReader();
          // streamText reported the requested model id unless the provider named another.
          let responseModel = model.modelId;
          for (;;) {
            // A plain reader loop: no async-iterator wrapper per chunk.
            const next = await reader.read();
            if (next.done) break;
            const part: LanguageModelV4StreamPart = next.value;
            if (part.type === 'text-delta') {
              if (part.delta === '') continue;
              yielded = true;
              yield { type: 'text-delta', text: part.delta };
            } else if (part.type === 'tool-call') {
              yielded = true;
              yield { type: 'tool-call', id: part.toolCallId, name: part.toolName, input: parseToolInput(part.input) };
            } else if (part.type === 'response-metadata') {
              if (part.modelId) responseModel = part.modelId;
            } else if (part.type === 'finish') {
              yielded = true;
              yield {
                type: 'finish',
                finishReason: mapFinishReason(part.finishReason.unified),
                usage: mapSpecUsage(part.usage),
                model: request.model,
                responseModel,
              };
              return;
            } else if (part.type === 'error') {
              throw part.error;
            }
          }
          throw new ProviderError({ code: 'unexpected_response', message: `${config.providerName}'s stream ended before the answer was complete.`, retryable: true });
        } catch (error) {
          const settled = settle(error, control, attempt);
          const delay = yielded || control.caller?.aborted ? null : retryDelayMs(settled, n, config.retry);
          if (delay === null) throw settled;
          await sleep(delay, control.waitSignal);
        } finally {
          // Ends the upstream request when the caller stopped reading early (or on any failure).
          attempt.abort();
          reader?.cancel().catch(() => {});
        }
      }
    } finally {
      control.done();
    }
  }

  async function generate(request: ModelCallRequest): Promise<ModelCallResult> {
    const control = new CallControl(request.signal, config.providerName, config.timeouts.totalMs);
    try {
      for (let n = 0; ; n++) {
        const attempt = control.attempt();
        try {
          const result = await generateText(prepare(request, timedFetch(attempt), control.signalFor(attempt)));
          return {
            text: result.text,
            toolCalls: result.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, input: call.input })),
            finishReason: mapFinishReason(result.finishReason),
            usage: mapUsage(result.usage),
            model: request.model,
            ...(result.response.modelId ? { responseModel: result.response.modelId } : {}),
          };
        } catch (error) {
          const settled = settle(error, control, attempt);
          const delay = control.caller?.aborted ? null : retryDelayMs(settled, n, config.retry);
          if (delay === null) throw settled;
          await sleep(delay, control.waitSignal);
        } finally {
          attempt.abort();
        }
      }
    } finally {
      control.done();
    }
  }

  return {
    kind: config.kind,
    stream,
    generate,
    listModels: (signal?: AbortSignal) => config.listModels(signal),
  };
}
