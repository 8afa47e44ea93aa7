// Streaming model calls spoken on the provider's wire by us: undici's request() through the SSRF guard,
// our SSE decoder, and a provider codec (anthropic-wire.ts, openai-chat-wire.ts) that maps events to the
// neutral ones. This is the chat's hot path: measured with bench/tools/provider-call-cost.ts, the AI SDK's
// doStream spent about 0.9 ms of CPU per call where this exchange needs under 0.2 ms (fetch's WHATWG
// Request/Response, the request body written in pieces, four TransformStreams and a zod parse per event).
// Same clocks, retries and error mapping as ai-sdk-client.ts, which still makes the non-streaming calls.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { attemptFailure, CallControl } from './call-control.ts';
import { ProviderError } from './provider-error.ts';
import { timeoutError, type ProviderTimeouts } from './provider-timeouts.ts';
import type { ModelCallRequest, ModelStreamEvent } from './provider.ts';
import { abortableSleep, retryDelayMs, type RetryOptions } from './retry.ts';
import { SseDecoder } from './sse-decoder.ts';
import type { GuardedRequest } from './ssrf-guard.ts';
import { fromFailure, parseUpstreamFailure, type FailureMapper } from './upstream-failure.ts';
import { StreamedFailure, type WireDecoder } from './wire-decoder.ts';

/** One model call as the provider's wire has it. */
export interface WireCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  decoder: WireDecoder;
}

export interface WireClientConfig {
  /** Names the provider in error messages ("Anthropic", "Azure AI Foundry"). */
  providerName: string;
  /** Only to redact echoes of it from provider messages. */
  apiKey: string;
  /** The request for one call (built afresh for each attempt: a decoder holds one answer's state). */
  call: (request: ModelCallRequest) => WireCall;
  mapFailure: FailureMapper;
  request: GuardedRequest;
  timeouts: ProviderTimeouts;
  retry: RetryOptions;
}

/** Receives each event; a returned promise (the client's socket pushing back) is awaited before reading on. */
export type StreamEventSink = (event: ModelStreamEvent) => void | Promise<void>;

export interface WireStreamer {
  /** ProviderClient.stream: the events as an async iterable. */
  stream(request: ModelCallRequest): AsyncGenerator<ModelStreamEvent>;
  /** The same call with no async hop per event: resolves when the answer is complete. */
  streamTo(request: ModelCallRequest, sink: StreamEventSink): Promise<void>;
}

// An error body is read for its message only; a hostile or broken upstream cannot make us buffer more.
const MAX_ERROR_BODY_BYTES = 64 * 1024;

async function readErrorBody(body: Readable): Promise<string> {
  let text = '';
  const utf8 = new StringDecoder('utf8');
  for await (const piece of body) {
    text += utf8.write(piece as Buffer);
    if (text.length > MAX_ERROR_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  return text;
}

function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function createWireStreamer(config: WireClientConfig): WireStreamer {
  const errorOptions = { provider: config.providerName, apiKey: config.apiKey, map: config.mapFailure };
  const sleep = config.retry.sleep ?? abortableSleep;
  const incomplete = () =>
    new ProviderError({ code: 'unexpected_response', message: `${config.providerName}'s stream ended before the answer was complete.`, retryable: true });

  /** One attempt: sends the request, relays the answer's events; `onFirst` marks that one reached the sink. */
  async function attemptCall(request: ModelCallRequest, attempt: AbortController, signal: AbortSignal, sink: StreamEventSink, onFirst: () => void): Promise<void> {
    const call = config.call(request);
    const firstByteMs = config.timeouts.firstByteMs;
    const timer = setTimeout(() => attempt.abort(timeoutError(config.providerName, 'first-byte', firstByteMs)), firstByteMs);
    let response;
    try {
      response = await config.request(call.url, { method: 'POST', headers: call.headers, body: call.body, signal });
    } finally {
      clearTimeout(timer);
    }
    const body = response.body;
    try {
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const text = await readErrorBody(body);
        throw fromFailure(parseUpstreamFailure(response.statusCode, text, headerRecord(response.headers)), errorOptions);
      }
      const decoder = call.decoder;
      const sse = new SseDecoder();
      // A sink's promise is awaited before the next event reaches it (events after it in the same read
      // wait in `held`), so a slow sink sees the events in order and the upstream is not read meanwhile.
      let pending: Promise<void> | undefined;
      let held: ModelStreamEvent[] | null = null;
      let first = true;
      const emit = (event: ModelStreamEvent): void => {
        if (first) {
          first = false;
          onFirst();
        }
        if (pending !== undefined) {
          (held ??= []).push(event);
          return;
        }
        const result = sink(event);
        if (result !== undefined) pending = result;
      };
      const drain = async (): Promise<void> => {
        while (pending !== undefined) {
          const wait = pending;
          pending = undefined;
          await wait;
          const queued = held;
          held = null;
          if (queued !== null) for (const event of queued) emit(event);
        }
      };
      const onSse = (event: string, data: string): void => {
        if (decoder.finished) return;
        try {
          decoder.push(event, data, emit);
        } catch (error) {
          // The response's request id (header) names the failed call when the error event does not.
          if (error instanceof StreamedFailure && error.failure.requestId === null) {
            const requestId = parseUpstreamFailure(null, null, headerRecord(response.headers)).requestId;
            throw new StreamedFailure({ ...error.failure, requestId });
          }
          throw error;
        }
      };
      // undici's body gives Buffers (setEncoding is not honoured); a character split across two reads is
      // held back by the StringDecoder.
      const utf8 = new StringDecoder('utf8');
      // Read to the end even after the finish event, so the connection goes back to the pool.
      for await (const piece of body) {
        sse.push(utf8.write(piece as Buffer), onSse);
        if (pending !== undefined) await drain();
      }
      sse.push(utf8.end(), onSse);
      sse.end(onSse);
      if (!decoder.finished) decoder.end(emit);
      await drain();
      if (!decoder.finished) throw incomplete();
    } finally {
      if (!body.readableEnded) body.destroy();
    }
  }

  async function streamTo(request: ModelCallRequest, sink: StreamEventSink): Promise<void> {
    const control = new CallControl(request.signal, config.providerName, config.timeouts.totalMs);
    let delivered = false;
    const onFirst = () => {
      delivered = true;
    };
    try {
      for (let n = 0; ; n++) {
        const attempt = control.attempt();
        try {
          await attemptCall(request, attempt, control.signalFor(attempt), sink, onFirst);
          return;
        } catch (error) {
          const settled = attemptFailure(error, control, attempt, errorOptions);
          const delay = delivered || control.caller?.aborted ? null : retryDelayMs(settled, n, config.retry);
          if (delay === null) throw settled;
          await sleep(delay, control.waitSignal);
        }
      }
    } finally {
      control.done();
    }
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
