// The HTTP exchanges the load process repeats, over undici with keep-alive and no connection cap.
import { Agent, request } from 'undici';
import { SseReader } from './sse-reader.ts';
import type { Target } from './load-job.ts';

export const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000, connections: null, pipelining: 1, headersTimeout: 120_000, bodyTimeout: 120_000 });

export interface ExchangeOutcome {
  ok: boolean;
  /** performance.now() when the first text token arrived (streams). */
  firstTokenAt: number | null;
  error: string | null;
}

async function post(url: string, headers: Record<string, string>, body: string) {
  return request(url, { method: 'POST', headers, body, dispatcher: agent });
}

/** Sends one request and reads the whole answer, stream or not. */
export async function exchange(url: string, headers: Record<string, string>, body: string, stream: boolean, firstTokenEvent: string, endEvent: string): Promise<ExchangeOutcome> {
  const res = await post(url, headers, body);
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    return { ok: false, firstTokenAt: null, error: `${res.statusCode} ${text.slice(0, 200)}` };
  }
  if (!stream) {
    await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
    return { ok: true, firstTokenAt: null, error: null };
  }
  const reader = new SseReader();
  let firstTokenAt: number | null = null;
  let ended = false;
  let error: string | null = null;
  res.body.setEncoding('utf8');
  for await (const chunk of res.body as AsyncIterable<string>) {
    for (const event of reader.push(chunk)) {
      if (event.event === firstTokenEvent && firstTokenAt === null) firstTokenAt = performance.now();
      else if (event.event === endEvent) ended = true;
      else if (event.event === 'error') error = event.data.slice(0, 200);
    }
  }
  if (error !== null || !ended) return { ok: false, firstTokenAt, error: error ?? 'stream ended without its end event' };
  return { ok: true, firstTokenAt, error: null };
}

/** Chat sessions for Mosaic turns: each carries at most `turnsPerSession` turns, one at a time. */
export class SessionPool {
  readonly #free: Array<{ id: string; used: number }> = [];
  readonly #url: string;
  readonly #token: string;
  readonly #turnsPerSession: number;

  constructor(url: string, token: string, turnsPerSession: number) {
    this.#url = url;
    this.#token = token;
    this.#turnsPerSession = turnsPerSession;
  }

  /** Creates `count` sessions, `parallel` at a time (before the measured window). */
  async fill(count: number, parallel = 16): Promise<void> {
    let left = count;
    const worker = async () => {
      while (left > 0) {
        left -= 1;
        this.#free.push({ id: await createSession(this.#url, this.#token), used: 0 });
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  }

  acquire(): { id: string; used: number } | null {
    return this.#free.pop() ?? null;
  }

  release(session: { id: string; used: number }): void {
    session.used += 1;
    if (session.used < this.#turnsPerSession) this.#free.unshift(session);
  }
}

export async function createSession(url: string, token: string): Promise<string> {
  const res = await post(`${url}/api/chat/sessions`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ title: 'Benchmark' }));
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`POST /api/chat/sessions → ${res.statusCode} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { session: { id: string } }).session.id;
}

export function mosaicTurnRequest(target: Extract<Target, { kind: 'mosaic-turn' }>, sessionId: string) {
  return {
    url: `${target.mosaicUrl}/api/chat/sessions/${sessionId}/messages`,
    headers: {
      authorization: `Bearer ${target.token}`,
      'content-type': 'application/json',
      ...(target.stream ? { accept: 'text/event-stream' } : { accept: 'application/json' }),
    },
    body: JSON.stringify({ content: target.content }),
  };
}
