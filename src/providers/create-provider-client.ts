// Settings + the operator's environment → the ProviderClient for one connection.
import { ANTHROPIC_DEFAULT_BASE_URL, createAnthropicClient } from './anthropic/anthropic-client.ts';
import { createAzureClient } from './azure/azure-client.ts';
import { OPENAI_DEFAULT_BASE_URL, createOpenAIClient } from './openai/openai-client.ts';
import type { ClientOptions } from './client-options.ts';
import { ProviderError } from './provider-error.ts';
import { resolveTimeouts, type ProviderTimeouts } from './provider-timeouts.ts';
import type { ConnectionSettings, ProviderClient } from './provider.ts';
import { DEFAULT_MAX_RETRIES, type RetryOptions } from './retry.ts';
import { assertUrlAllowed, createGuardedUpstream, type GuardedUpstream } from './ssrf-guard.ts';
import { trimSlash } from './provider-http.ts';

export interface ProviderEnv {
  /** MOSAIC_ALLOW_PRIVATE_UPSTREAMS=1. */
  allowPrivateUpstreams: boolean;
  /** MOSAIC_ANTHROPIC_BASE_URL: used when a connection's baseUrl is null. */
  anthropicBaseUrl: string | null;
  /** MOSAIC_OPENAI_BASE_URL: used when a connection's baseUrl is null. */
  openaiBaseUrl: string | null;
  maxRetries?: number;
  timeouts?: Partial<ProviderTimeouts>;
  /** Backoff tuning and injectable sleep/random (tests). */
  retry?: Omit<RetryOptions, 'maxRetries'>;
}

/** Env from the app's Config. */
export function providerEnvFromConfig(config: { allowPrivateUpstreams: boolean; anthropicBaseUrl: string | null; openaiBaseUrl: string | null }): ProviderEnv {
  return { allowPrivateUpstreams: config.allowPrivateUpstreams, anthropicBaseUrl: config.anthropicBaseUrl, openaiBaseUrl: config.openaiBaseUrl };
}

// One guarded upstream (one connection pool) per policy, shared by every connection.
const guardedUpstreams = new Map<string, GuardedUpstream>();

function guardedUpstreamFor(allowPrivate: boolean, connectTimeoutMs: number): GuardedUpstream {
  const key = `${allowPrivate}:${connectTimeoutMs}`;
  let upstream = guardedUpstreams.get(key);
  if (upstream === undefined) {
    upstream = createGuardedUpstream({ allowPrivate, connectTimeoutMs });
    guardedUpstreams.set(key, upstream);
  }
  return upstream;
}

/** The base URL a connection calls: its own, else the operator's default, else the provider's public API. */
export function effectiveBaseUrl(settings: ConnectionSettings, env: ProviderEnv): string {
  if (settings.kind === 'azure') {
    if (settings.azure === null) throw new ProviderError({ code: 'bad_endpoint', message: 'The Azure connection has no endpoint.' });
    return trimSlash(settings.azure.endpoint);
  }
  const fallback = settings.kind === 'anthropic' ? (env.anthropicBaseUrl ?? ANTHROPIC_DEFAULT_BASE_URL) : (env.openaiBaseUrl ?? OPENAI_DEFAULT_BASE_URL);
  return trimSlash(settings.baseUrl ?? fallback);
}

/** Throws ProviderError (bad_endpoint, upstream_not_allowed) when the settings cannot work at all. */
export function createProviderClient(settings: ConnectionSettings, env: ProviderEnv): ProviderClient {
  const timeouts = resolveTimeouts(env.timeouts);
  const retry: RetryOptions = { ...env.retry, maxRetries: env.maxRetries ?? DEFAULT_MAX_RETRIES };
  const upstream = guardedUpstreamFor(env.allowPrivateUpstreams, timeouts.connectMs);
  const baseUrl = effectiveBaseUrl(settings, env);
  assertUrlAllowed(baseUrl, { allowPrivate: env.allowPrivateUpstreams });
  // The one place the tenant's key leaves its Secret: into this connection's request headers.
  const options: ClientOptions = { apiKey: settings.apiKey.reveal(), fetch: upstream.fetch, dispatch: upstream.dispatch, timeouts, retry };
  switch (settings.kind) {
    case 'anthropic':
      return createAnthropicClient({ ...options, baseUrl });
    case 'openai':
      return createOpenAIClient({ ...options, baseUrl });
    case 'azure': {
      const azure = settings.azure;
      if (azure === null) throw new ProviderError({ code: 'bad_endpoint', message: 'The Azure connection has no endpoint.' });
      return createAzureClient({ ...options, azure });
    }
  }
}
