// Test connection as the configuration commands use it: a tiny prompt to one model, an outcome that is
// never a thrown surprise, and the 422 a failed save or rotation answers with.
import type { ConnectionSettings } from '../providers/provider.ts';
import { isProviderError } from '../providers/provider-error.ts';
import { testConnection } from '../providers/test-connection.ts';
import { AppError } from '../server/errors.ts';
import type { AiConfigDeps } from './ai-config-deps.ts';
import type { LastTest } from './provider-connections.ts';

export interface TestFailure {
  code: string;
  message: string;
  hint: string;
}

export type TestOutcome =
  | { ok: true; model: string; latencyMs: number; reply: string }
  | { ok: false; error: TestFailure; latencyMs: number };

/** Runs Test connection on `model`; any failure, even an unforeseen one, comes back as `ok: false`. */
export async function runConnectionTest(deps: AiConfigDeps, settings: ConnectionSettings, model: string): Promise<TestOutcome> {
  const started = performance.now();
  try {
    const result = await testConnection(settings, model, deps.providerEnv, { timeoutMs: deps.testTimeoutMs });
    if (result.ok) return { ok: true, model: result.model, latencyMs: result.latencyMs, reply: result.reply };
    const { code, message, hint } = result.error;
    return { ok: false, error: { code, message, hint }, latencyMs: result.latencyMs };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    if (isProviderError(err)) return { ok: false, error: err.toJSON(), latencyMs };
    // The provider layer promises outcomes, not throws; if one slips through, the admin still gets a code.
    deps.ctx.logger.error({ err: err instanceof Error ? err.message : String(err), kind: settings.kind }, 'test connection threw');
    return {
      ok: false,
      error: { code: 'provider_error', message: 'The connection test failed unexpectedly.', hint: "Try again; if it keeps failing, check the provider's status page." },
      latencyMs,
    };
  }
}

export function lastTestOf(outcome: TestOutcome, at: string): LastTest {
  return { ok: outcome.ok, at, latencyMs: outcome.latencyMs, code: outcome.ok ? null : outcome.error.code };
}

/** The answer to a save or rotation whose test failed: 422 with the test's code and hint. */
export function testFailedError(failure: TestFailure, extra: Record<string, unknown> = {}): AppError {
  return new AppError(422, failure.code, failure.message, { hint: failure.hint, ...extra });
}

/** Tests each model in turn and throws the first failure as a 422; returns the last outcome. */
export async function requirePassingTests(deps: AiConfigDeps, settings: ConnectionSettings, models: string[]): Promise<TestOutcome> {
  let last: TestOutcome | null = null;
  for (const model of [...new Set(models)]) {
    last = await runConnectionTest(deps, settings, model);
    if (!last.ok) throw testFailedError(last.error, models.length > 1 ? { model } : {});
  }
  if (!last) throw new Error('requirePassingTests needs at least one model');
  return last;
}
