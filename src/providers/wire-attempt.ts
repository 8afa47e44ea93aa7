// One attempt of a streaming model call, as an undici dispatch handler: the status and headers, then each
// body chunk straight from the HTTP parser into the SSE decoder and the provider codec, and each neutral
// event into the sink. No Readable, no async iterator and no promise per chunk: at ten chunks a second
// across a thousand chats that machinery cost more than the decoding (issue 8). Backpressure is undici's
// own: while a sink's promise is pending the response is paused, so the provider's socket is not read.
import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher } from 'undici';
import { CallerFailure } from './call-control.ts';
import { ProviderError } from './provider-error.ts';
import type { ModelStreamEvent } from './provider.ts';
import { SseDecoder } from './sse-decoder.ts';
import type { GuardedDispatch } from './ssrf-guard.ts';
import { fromFailure, parseUpstreamFailure, type ToProviderErrorOptions } from './upstream-failure.ts';
import { StreamedFailure, type WireDecoder } from './wire-decoder.ts';

/** One model call as the provider's wire has it. */
export interface WireCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  decoder: WireDecoder;
}

/** Receives each event; a returned promise (the client's socket pushing back) is awaited before the next. */
export type StreamEventSink = (event: ModelStreamEvent) => void | Promise<void>;

export interface WireAttemptOptions {
  call: WireCall;
  sink: StreamEventSink;
  /** The response's status line and headers arrived (the first-byte clock stops). */
  onHeaders: () => void;
  /** The first event is about to reach the sink (from then on the call is not retried). */
  onFirstEvent: () => void;
  errors: ToProviderErrorOptions;
  /** The error for a body that ended before the codec saw the answer's end. */
  incomplete: () => Error;
  /** Ends the attempt with its reason (the caller's, or a clock's). */
  signal: AbortSignal;
}

// An error body is read for its message only; a hostile or broken upstream cannot make us buffer more.
export const MAX_ERROR_BODY_CHARS = 64 * 1024;

export function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function callerFailed(error: unknown): never {
  throw new CallerFailure(error);
}

/** Sends the call and relays its answer; resolves once the codec saw the answer's end and the sink took every event. */
export function runWireAttempt(dispatch: GuardedDispatch, options: WireAttemptOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const { call, sink, signal } = options;
    const decoder = call.decoder;
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    let errorText: string | null = null; // non-null: a non-2xx answer being read
    const utf8 = new StringDecoder('utf8');
    const sse = new SseDecoder();

    // A sink's promise is awaited before the next event reaches it; events decoded meanwhile wait in order.
    let pending: Promise<void> | undefined;
    let held: ModelStreamEvent[] | null = null;
    let first = true;

    const settle = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    /** Ends the attempt with `error`, and the upstream request with it if it is still open. */
    const fail = (error: unknown): void => {
      if (settled) return;
      settle(error);
      if (controller !== null && !controller.aborted) controller.abort(error instanceof Error ? error : new Error(String(error)));
    };
    function onAbort(): void {
      fail(signal.reason);
    }

    const emit = (event: ModelStreamEvent): void => {
      if (first) {
        first = false;
        options.onFirstEvent();
      }
      if (pending !== undefined) {
        (held ??= []).push(event);
        return;
      }
      let result: void | Promise<void>;
      try {
        result = sink(event);
      } catch (error) {
        throw new CallerFailure(error);
      }
      if (result !== undefined) pending = result.catch(callerFailed);
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
      if (decoder.finished) return; // read on to the end, so the connection goes back to the pool
      try {
        decoder.push(event, data, emit);
      } catch (error) {
        // The response's request id (a header) names the failed call when the error event does not.
        if (error instanceof StreamedFailure && error.failure.requestId === null) {
          const requestId = parseUpstreamFailure(null, null, headerRecord(headers)).requestId;
          throw new StreamedFailure({ ...error.failure, requestId });
        }
        throw error;
      }
    };
    const failure = () => fromFailure(parseUpstreamFailure(status, errorText, headerRecord(headers)), options.errors);

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(new Error('The model call ended before it was sent.'));
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        if (statusCode < 200) return; // 1xx: the real answer follows
        status = statusCode;
        headers = responseHeaders;
        options.onHeaders();
        if (statusCode >= 300) {
          errorText = '';
          return;
        }
        // A web page or a whole JSON answer where a stream belongs (a login portal, a proxy, a gateway that
        // ignores stream: true) is not a provider's answer: say so at once rather than wait for a stream
        // that will not come. A missing or unusual content type is given the benefit of the doubt.
        const type = String(responseHeaders['content-type'] ?? '').toLowerCase();
        if (type.includes('html') || type.includes('json')) {
          fail(
            new ProviderError({
              code: 'unexpected_response',
              message: `${options.errors.provider} answered ${statusCode} with ${type.split(';')[0]}, not an event stream.`,
              status: statusCode,
            }),
          );
        }
      },
      onResponseData(c, chunk) {
        if (settled) return;
        if (errorText !== null) {
          errorText += utf8.write(chunk);
          if (errorText.length > MAX_ERROR_BODY_CHARS) fail(failure());
          return;
        }
        try {
          sse.push(utf8.write(chunk), onSse);
        } catch (error) {
          fail(error);
          return;
        }
        if (pending !== undefined) {
          c.pause();
          drain().then(() => {
            if (!settled) c.resume();
          }, fail);
        }
      },
      onResponseEnd() {
        if (settled) return;
        if (errorText !== null) {
          errorText += utf8.end();
          settle(failure());
          return;
        }
        try {
          sse.push(utf8.end(), onSse);
          sse.end(onSse);
          if (!decoder.finished) decoder.end(emit);
        } catch (error) {
          settle(error);
          return;
        }
        drain().then(() => settle(decoder.finished ? undefined : options.incomplete()), (error: unknown) => settle(error));
      },
      onResponseError(_c, error) {
        settle(error);
      },
    };

    if (signal.aborted) {
      settle(signal.reason);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      dispatch(call.url, { method: 'POST', headers: call.headers, body: call.body }, handler);
    } catch (error) {
      settle(error);
    }
  });
}
