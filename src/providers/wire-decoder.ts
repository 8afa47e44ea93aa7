// What a provider's stream codec implements: the SSE events of one model call in, the neutral events out.
// Pure (no I/O, no clocks), one instance per call, so the codecs are tested on recorded bytes alone and
// wire-client.ts owns the sockets, clocks and retries for every provider.
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
