// What the AI-configuration commands need besides the AppContext: how to reach providers (the operator's
// defaults and the SSRF switch from Config) and how long a Test connection may take. Tests shorten the
// timeout or point the provider layer elsewhere by overriding these.
import type { AppContext } from '../app-context.ts';
import type { Caller } from '../server/authorize.ts';
import { providerEnvFromConfig, type ProviderEnv } from '../providers/create-provider-client.ts';

/** The contract's total time for one Test connection. */
export const TEST_TIMEOUT_MS = 20_000;

export interface AiConfigDeps {
  ctx: AppContext;
  providerEnv: ProviderEnv;
  testTimeoutMs: number;
}

/** Who makes the change: the tenant comes from the authenticated caller, never from a request body. */
export type Actor = Pick<Caller, 'tenantId' | 'userId' | 'email'>;

export const SECRET_PURPOSE = 'provider_api_key';

export function providerEnvFor(ctx: AppContext): ProviderEnv {
  // A person is waiting on Test connection: one quick retry of a hiccup at most (testConnection caps it too).
  return { ...providerEnvFromConfig(ctx.config), maxRetries: 1 };
}

export function aiConfigDeps(ctx: AppContext, overrides: Partial<Omit<AiConfigDeps, 'ctx'>> = {}): AiConfigDeps {
  return { ctx, providerEnv: overrides.providerEnv ?? providerEnvFor(ctx), testTimeoutMs: overrides.testTimeoutMs ?? TEST_TIMEOUT_MS };
}

export const auditActor = (actor: Actor) => ({ id: actor.userId, email: actor.email });
