// Server-sent events with pacing and mid-stream faults. The wire modules build the events; this
// writes them, `tps` apart, and cuts the stream where a fault says.
import type { SimExchange } from './sim-http.ts';
import { pause, resetConnection, writeHead } from './sim-http.ts';

export interface SimSseEvent {
  /** The `event:` line (Anthropic); null for `data:`-only streams (OpenAI). */
  event: string | null;
  /** JSON-encoded unless already a string (`[DONE]`). */
  data: unknown;
  /** Carries model output: paced by `tps`, counted for "after some output". */
  output?: boolean;
}

export interface SimStreamCut {
  /** How many output events go out before the cut. */
  afterOutputs: number;
  /** An error event to send (then end), or null to reset the connection. */
  errorEvent: SimSseEvent | null;
}

export function formatSse(event: SimSseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return event.event === null ? `data: ${data}\n\n` : `event: ${event.event}\ndata: ${data}\n\n`;
}

/** Where "after some output" falls: half the output events, at least one. */
export function midPoint(events: SimSseEvent[]): number {
  const outputs = events.filter((e) => e.output).length;
  return Math.max(1, Math.floor(outputs / 2));
}

/** Streams `events` as a 200 text/event-stream answer. */
export async function writeSse(
  ex: SimExchange,
  headers: Record<string, string>,
  events: SimSseEvent[],
  options: { tokensPerSecond: number | null; cut: SimStreamCut | null },
): Promise<void> {
  if (ex.signal.aborted) return;
  writeHead(ex, 200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  const gapMs = options.tokensPerSecond === null ? 0 : 1000 / options.tokensPerSecond;
  let outputs = 0;
  for (const event of events) {
    // The cut strikes at whatever comes next once enough output went out (a delta or the block's end).
    if (options.cut && outputs >= options.cut.afterOutputs) {
      if (options.cut.errorEvent === null) {
        // Let what was written reach the client first: a reset that swallows the output tests nothing.
        await new Promise<void>((resolve) => ex.res.write('', () => resolve()));
        await pause(ex, 20);
        return resetConnection(ex);
      }
      ex.res.end(formatSse(options.cut.errorEvent));
      return;
    }
    if (event.output) {
      if (outputs > 0 && !(await pause(ex, gapMs))) return;
      outputs += 1;
    }
    if (ex.signal.aborted) return;
    ex.res.write(formatSse(event));
  }
  ex.res.end();
}
