// What a provider's stream codec implements: the SSE events of one model call in, the neutral events out.
// Pure (no I/O, no clocks), one instance per call, so the codecs are tested on recorded bytes alone and
// wire-client.ts owns the sockets, clocks and retries for every provider. Below: the helpers the codecs share.
import { ProviderError } from './provider-error.ts';
import type { ModelStreamEvent } from './provider.ts';
import type { UpstreamFailure } from './upstream-failure.ts';

export type EmitEvent = (event: ModelStreamEvent) => void;

export interface WireDecoder {
  /**
   * One SSE event: `event` is its `event:` field ('' when absent), `data` its data lines joined by "\n".
   * Calls `emit` for each neutral event the data completes, in order (no empty text deltas).
   * Throws StreamedFailure for the provider's own error event, and ProviderError with code
   * 'unexpected_response' for data it cannot read.
   */
  push(event: string, data: string, emit: EmitEvent): void;
  /** The body ended. Emits the finish event if the provider's wire allows ending without its end marker. */
  end(emit: EmitEvent): void;
  /** True once the finish event was emitted: the answer is complete. */
  readonly finished: boolean;
}

/** A provider's error event inside a 200 stream (Anthropic `event: error`, OpenAI `{"error":…}`). */
export class StreamedFailure extends Error {
  readonly failure: UpstreamFailure;
  constructor(failure: UpstreamFailure) {
    super(failure.message ?? 'The provider reported an error mid-stream.');
    this.name = 'StreamedFailure';
    this.failure = failure;
  }
}

/** What a codec throws for data it cannot read: `what` says which part ("a stream event that is not JSON"). */
export function unreadableAnswer(providerName: string, what: string, cause?: unknown): ProviderError {
  return new ProviderError({
    code: 'unexpected_response',
    message: `${providerName} answered in a way Mosaic could not read (${what}).`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A parsed JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A streamed tool call's JSON input, parsed the way the AI SDK does: blank is {}, unreadable stays text. */
export function parseToolInput(input: string): unknown {
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
