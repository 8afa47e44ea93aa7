// What each simulated provider received, so tests can assert "exactly one request", "max_completion_tokens
// was sent", "the socket was closed when the client went away".
import type { SimProviderName } from './sim-types.ts';

/**
 * How an exchange ended: answered in full, cut by the client, cut by a `reset-mid-stream` fault, cut
 * by the simulator's close(), or still open.
 */
export type SimRequestOutcome = 'open' | 'completed' | 'aborted-by-client' | 'reset-by-sim' | 'closed-by-sim';

export interface SimLoggedRequest {
  provider: SimProviderName;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body; undefined for no body, the raw text when it was not JSON. */
  body: unknown;
  /** Wall-clock times (the injectable clock only dates the answers). */
  receivedAt: Date;
  /** The HTTP status sent, once headers went out. */
  status: number | null;
  /** The faults that applied (e.g. ['429'] or ['tps:5', 'error-mid-stream']). */
  faults: string[];
  outcome: SimRequestOutcome;
  closedAt: Date | null;
  /** Resolves when the exchange ends, with its outcome. */
  done: Promise<SimRequestOutcome>;
}

type Waiter = { match: (entry: SimLoggedRequest) => boolean; resolve: (entry: SimLoggedRequest) => void };

export class SimRequestLog {
  readonly #entries: SimLoggedRequest[] = [];
  #waiters: Waiter[] = [];

  /** Every request received since start (or the last clear()), oldest first. */
  all(): SimLoggedRequest[] {
    return [...this.#entries];
  }

  byProvider(provider: SimProviderName): SimLoggedRequest[] {
    return this.#entries.filter((entry) => entry.provider === provider);
  }

  last(provider?: SimProviderName): SimLoggedRequest | undefined {
    const list = provider === undefined ? this.#entries : this.byProvider(provider);
    return list[list.length - 1];
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /** The first logged request (already received or still to come) that `match` accepts. */
  waitFor(match: (entry: SimLoggedRequest) => boolean, timeoutMs = 5000): Promise<SimLoggedRequest> {
    const found = this.#entries.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`simulator: no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.#waiters.push(waiter);
    });
  }

  /** Records a request (called by the simulator once its body is read). */
  add(entry: SimLoggedRequest): void {
    this.#entries.push(entry);
    const ready = this.#waiters.filter((w) => w.match(entry));
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve(entry);
  }
}
