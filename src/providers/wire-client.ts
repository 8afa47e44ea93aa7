// Streaming model calls spoken on the provider's wire by us: undici's dispatch through the SSRF guard
// (wire-attempt.ts), our SSE decoder, and a provider codec (anthropic-wire.ts, openai-chat-wire.ts) that
// maps events to the neutral ones. This is the chat's hot path: measured with bench/tools/provider-call-cost.ts, the AI SDK's
// doStream spent about 0.9 ms of CPU per call where this exchange needs under 0.2 ms (fetch's WHATWG
// Request/Response, the request body written in pieces, four TransformStreams and a zod parse per event).
// Same clocks, retries and error mapping as ai-sdk-client.ts, which still makes the non-streaming calls.
import { runAttempts } from './call-control.ts';
import { ProviderError } from './provider-error.ts';
import { timeoutError, type ProviderTimeouts } from './provider-timeouts.ts';
import type { ModelCallRequest, ModelStreamEvent } from './provider.ts';
import type { RetryOptions } from './retry.ts';
import type { GuardedDispatch } from './ssrf-guard.ts';
import type { FailureMapper } from './upstream-failure.ts';
import { runWireAttempt, type StreamEventSink, type WireCall } from './wire-attempt.ts';

export type { StreamEventSink, WireCall } from './wire-attempt.ts';

export interface WireClientConfig {
  /** Names the provider in error messages ("Anthropic", "Azure AI Foundry"). */
  providerName: string;
  /** Only to redact echoes of it from provider messages. */
  apiKey: string;
  /** The request for one call (built afresh for each attempt: a decoder holds one answer's state). */
  call: (request: ModelCallRequest) => WireCall;
  mapFailure: FailureMapper;
  dispatch: GuardedDispatch;
  timeouts: ProviderTimeouts;
  retry: RetryOptions;
}

export interface WireStreamer {
  /** ProviderClient.stream: the events as an async iterable. */
  stream(request: ModelCallRequest): AsyncGenerator<ModelStreamEvent>;
  /** The same call with no async hop per event: resolves when the answer is complete. */
  streamTo(request: ModelCallRequest, sink: StreamEventSink): Promise<void>;
}

export function createWireStreamer(config: WireClientConfig): WireStreamer {
  const errorOptions = { provider: config.providerName, apiKey: config.apiKey, map: config.mapFailure };
  const incomplete = () =>
    new ProviderError({ code: 'unexpected_response', message: `${config.providerName}'s stream ended before the answer was complete.`, retryable: true });

  /** One attempt, with the first-byte clock running until the response's headers arrive. */
  async function attemptCall(request: ModelCallRequest, attempt: AbortController, sink: StreamEventSink, onFirstEvent: () => void): Promise<void> {
    const firstByteMs = config.timeouts.firstByteMs;
    const timer = setTimeout(() => attempt.abort(timeoutError(config.providerName, 'first-byte', firstByteMs)), firstByteMs);
    try {
      await runWireAttempt(config.dispatch, {
        call: config.call(request),
        sink,
        onHeaders: () => clearTimeout(timer),
        onFirstEvent,
        errors: errorOptions,
        incomplete,
        signal: attempt.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function streamTo(request: ModelCallRequest, sink: StreamEventSink): Promise<void> {
    // Retried only while nothing reached the sink: a retry would repeat what the user already saw.
    let delivered = false;
    const onFirstEvent = () => {
      delivered = true;
    };
    const options = { caller: request.signal, totalMs: config.timeouts.totalMs, retry: config.retry, errors: errorOptions, mayRetry: () => !delivered };
    await runAttempts(options, (attempt) => attemptCall(request, attempt, sink, onFirstEvent));
  }

  async function* stream(request: ModelCallRequest): AsyncGenerator<ModelStreamEvent> {
    // The iterable form over streamTo: events are queued and handed out one by one; a consumer that stops
    // early aborts the call (its own controller, joined with the caller's signal).
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
    const queue: ModelStreamEvent[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    let failure: { error: unknown } | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const done = streamTo({ ...request, signal }, (event) => {
      queue.push(event);
      notify();
    }).then(
      () => {
        ended = true;
        notify();
      },
      (error: unknown) => {
        failure = { error };
        ended = true;
        notify();
      },
    );
    try {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      await done;
      if (failure !== null) throw (failure as { error: unknown }).error;
    } finally {
      if (!ended) {
        stop.abort(new ProviderError({ code: 'provider_error', message: 'The caller stopped reading the answer.' }));
        await done;
      }
    }
  }

  return { stream, streamTo };
}
