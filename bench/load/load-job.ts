// What the parent asks the load process to do, and what it answers. Plain data: it crosses the IPC channel.

/** One HTTP exchange the load process repeats. */
export type Target =
  | { kind: 'mosaic-turn'; mosaicUrl: string; token: string; content: string; turnsPerSession: number; stream: boolean }
  | { kind: 'raw'; url: string; headers: Record<string, string>; body: string; stream: boolean; firstTokenEvent: string };

export type Schedule =
  | { kind: 'closed'; clients: number; durationMs: number }
  | { kind: 'open'; ratePerSecond: number; durationMs: number };

export interface TurnsJob {
  kind: 'turns';
  target: Target;
  schedule: Schedule;
  warmupRequests: number;
}

export interface StreamsJob {
  kind: 'streams';
  mosaicUrl: string;
  token: string;
  sessions: number;
  content: string;
  /** The exact text every stream must deliver, in order. */
  expectedText: string;
  /** Starts are spread over this many ms (a real crowd does not click in the same millisecond). */
  rampMs: number;
  /** Give up on a stream after this long. */
  timeoutMs: number;
}

export type LoadJob = TurnsJob | StreamsJob;

export interface TurnsResult {
  kind: 'turns';
  /** Milliseconds from the intended start (open loop) or the send (closed loop) to the full answer. */
  latenciesMs: number[];
  /** Milliseconds to the first text token (streaming targets). */
  firstTokenMs: number[];
  errors: number;
  errorSamples: string[];
  elapsedMs: number;
  sent: number;
}

export interface StreamsResult {
  kind: 'streams';
  completed: number;
  errors: number;
  errorSamples: string[];
  /** Streams whose text differed from the expected text (a chunk lost, reordered or altered). */
  corrupted: number;
  chunks: number;
  /** Largest gap between two chunks of one stream, in ms, per stream. */
  maxGapMs: number[];
  elapsedMs: number;
}

export type LoadResult = TurnsResult | StreamsResult;

export type ParentMessage = { type: 'prepare'; job: LoadJob } | { type: 'go' };
export type ChildMessage = { type: 'ready' } | { type: 'result'; result: LoadResult } | { type: 'failed'; message: string };
