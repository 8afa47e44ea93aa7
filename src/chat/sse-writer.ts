// Server-sent events onto a raw HTTP response: `event: <name>` + `data: <json>` per event, headers that
// keep proxies from buffering, and backpressure (a slow reader pauses the writer, and through it the
// upstream read, instead of piling the answer up in memory).
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

export type SseEvent =
  | { event: 'message-start'; data: { messageId: string; model: string } }
  | { event: 'text-delta'; data: { text: string } }
  | { event: 'tool-call'; data: { id: string; name: string; input: unknown } }
  | { event: 'tool-result'; data: { id: string; name: string; output: unknown } }
  | {
      event: 'message-end';
      data: { messageId: string; model: string; finishReason: string; usage: { inputTokens: number; outputTokens: number } };
    }
  | { event: 'error'; data: { error: { code: string; message: string } } }
  | { event: 'title'; data: { title: string } }
  | { event: 'suggestions'; data: { questions: string[] } };

/** One event in the wire format. JSON never contains a raw newline, so one data line suffices. */
export function formatSseEvent(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export class SseWriter {
  readonly #res: ServerResponse;
  #opened = false;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  get opened(): boolean {
    return this.#opened;
  }

  /** True once the client is gone (nothing more can be delivered). */
  get closed(): boolean {
    return this.#res.destroyed || this.#res.writableEnded;
  }

  /** Sends the status line and headers now, so the client sees the stream begin at once. */
  open(extraHeaders: Record<string, string> = {}): void {
    if (this.#opened) return;
    this.#opened = true;
    this.#res.writeHead(200, {
      ...extraHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    this.#res.flushHeaders();
  }

  /** Writes one event; resolves when the socket can take more (or the client is gone). */
  async send(event: SseEvent): Promise<void> {
    if (!this.#opened) this.open();
    if (this.closed) return;
    if (this.#res.write(formatSseEvent(event))) return;
    await Promise.race([once(this.#res, 'drain'), once(this.#res, 'close')]);
  }

  end(): void {
    if (!this.closed) this.#res.end();
  }
}
