// The three clocks on a provider call, and the errors they end it with.
import { ProviderError } from './provider-error.ts';

export interface ProviderTimeouts {
  /** Opening the TCP/TLS connection. */
  connectMs: number;
  /** From sending the request until the provider's response headers arrive. */
  firstByteMs: number;
  /** The whole call, retries and streaming included. */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: ProviderTimeouts = { connectMs: 10_000, firstByteMs: 60_000, totalMs: 10 * 60_000 };

export function resolveTimeouts(partial: Partial<ProviderTimeouts> | undefined): ProviderTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...partial };
}

/** The error a timer aborts the call with; not retried, the time is already spent. */
export function timeoutError(provider: string, which: 'first-byte' | 'total', ms: number): ProviderError {
  const seconds = Math.round(ms / 100) / 10;
  const message =
    which === 'first-byte'
      ? `${provider} did not start answering within ${seconds} s.`
      : `${provider} did not finish answering within ${seconds} s.`;
  return new ProviderError({ code: 'timeout', message, retryable: false });
}

/** Wraps fetch so that the response headers must arrive within `ms`, else `abort` is called with a timeout error. */
export function withFirstByteTimeout(fetchFn: typeof fetch, ms: number, onTimeout: () => void): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const timer = setTimeout(onTimeout, ms);
    try {
      return await fetchFn(input, init);
    } finally {
      clearTimeout(timer);
    }
  }) as typeof fetch;
}
