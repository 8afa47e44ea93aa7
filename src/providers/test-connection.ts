// Test a connection: the key's shape first (no network), then a tiny prompt to the chosen model. Never
// throws for a provider failure: every outcome is a result the admin screen can show.
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import { checkKeyFormat } from './key-format.ts';
import { ProviderError, redactKeyEcho } from './provider-error.ts';
import type { ConnectionSettings, ProviderErrorCode } from './provider.ts';

export type TestConnectionResult =
  | { ok: true; model: string; latencyMs: number; reply: string }
  | { ok: false; error: { code: ProviderErrorCode; message: string; hint: string }; latencyMs: number };

export interface TestConnectionOptions {
  timeoutMs?: number;
}

export const TEST_PROMPT = 'Reply with the word OK.';
// A few output tokens at most, for every model (issue 4). A reasoning model may spend them thinking and
// answer 200 with empty text and finish_reason "length": that is still a working key and model, so ok.
// (Giving reasoning models room instead billed up to thousands of thinking tokens per Test press.)
export const TEST_OUTPUT_LIMIT = 16;

export async function testConnection(
  settings: ConnectionSettings,
  model: string,
  env: ProviderEnv,
  options: TestConnectionOptions = {},
): Promise<TestConnectionResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const apiKey = settings.apiKey.reveal();
  const fail = (error: ProviderError): TestConnectionResult => ({
    ok: false,
    error: { code: error.code, message: redactKeyEcho(error.message, apiKey), hint: error.hint },
    latencyMs: elapsed(),
  });

  const refused = checkKeyFormat(settings.kind, apiKey);
  if (refused !== null) return fail(refused);
  try {
    const client = createProviderClient(settings, {
      ...env,
      // One quick retry at most: the admin is waiting, and can press Test again.
      maxRetries: Math.min(env.maxRetries ?? 1, 1),
      retry: { ...env.retry, maxRetryAfterMs: 5_000 },
      timeouts: { ...env.timeouts, totalMs: timeoutMs, firstByteMs: Math.min(env.timeouts?.firstByteMs ?? timeoutMs, timeoutMs) },
    });
    const result = await client.generate({
      model,
      messages: [{ role: 'user', content: TEST_PROMPT }],
      maxOutputTokens: TEST_OUTPUT_LIMIT,
    });
    return { ok: true, model, latencyMs: elapsed(), reply: result.text.trim() };
  } catch (error) {
    if (error instanceof ProviderError) return fail(error);
    return fail(new ProviderError({ code: 'unexpected_response', message: 'The connection test failed in an unexpected way.', cause: error }));
  }
}
