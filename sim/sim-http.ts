// One HTTP exchange as the simulated providers see it, and the small I/O helpers they share.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../src/clock.ts';
import type { SimLoggedRequest } from './sim-request-log.ts';

export interface SimExchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The parsed JSON body; undefined when empty. */
  body: unknown;
  /** The body was not valid JSON. */
  bodyInvalid: boolean;
  entry: SimLoggedRequest;
  /** Aborted when the exchange ends for any reason (client gone, socket reset, simulator closed). */
  signal: AbortSignal;
  clock: Clock;
}

export function header(ex: SimExchange, name: string): string | undefined {
  const value = ex.req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Writes the status line and headers, recording the status in the request log. */
export function writeHead(ex: SimExchange, status: number, headers: Record<string, string>): void {
  ex.entry.status = status;
  ex.res.writeHead(status, headers);
}

export function sendJson(ex: SimExchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ex.signal.aborted) return;
  const text = JSON.stringify(body);
  writeHead(ex, status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  ex.res.end(text);
}

/** Waits `ms`; false when the exchange ended meanwhile. */
export async function pause(ex: SimExchange, ms: number): Promise<boolean> {
  if (ms <= 0) return !ex.signal.aborted;
  try {
    await delay(ms, undefined, { signal: ex.signal });
    return true;
  } catch {
    return false;
  }
}

/** Never answers: resolves only when the client goes away or the simulator closes. */
export function hangUntilClosed(ex: SimExchange): Promise<void> {
  if (ex.signal.aborted) return Promise.resolve();
  return new Promise((resolve) => ex.signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Destroys the socket mid-answer, as a dropped connection does. */
export function resetConnection(ex: SimExchange): void {
  ex.entry.outcome = 'reset-by-sim';
  ex.res.socket?.destroy();
}

/** Seconds since the epoch on the simulator's clock. */
export function unixSeconds(ex: SimExchange): number {
  return Math.floor(ex.clock.now().getTime() / 1000);
}
