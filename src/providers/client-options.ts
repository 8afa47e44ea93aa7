// What every provider client (anthropic/, openai/, azure/) is built from, besides where it calls: the
// tenant's key, the SSRF-guarded ways out (fetch for the AI SDK, dispatch for the wire client), the clocks
// and the retry policy. create-provider-client.ts makes one from a connection's settings.
import type { ProviderTimeouts } from './provider-timeouts.ts';
import type { RetryOptions } from './retry.ts';
import type { GuardedDispatch } from './ssrf-guard.ts';

export interface ClientOptions {
  apiKey: string;
  fetch: typeof globalThis.fetch;
  dispatch: GuardedDispatch;
  timeouts: ProviderTimeouts;
  retry: RetryOptions;
}
