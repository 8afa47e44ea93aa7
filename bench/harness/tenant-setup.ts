// Prepares the bootstrapped tenant through the public API, as an admin would: sign in, add the
// simulator as the Anthropic provider, set a budget (so every turn goes through budget reservation),
// and mint a personal access token for the load generator.
import { BENCH_ADMIN } from './mosaic-process.ts';

export const BENCH_MODELS = { orchestrator: 'claude-sonnet-4-5-20250929', fast: 'claude-haiku-4-5-20251001' };

async function call(url: string, init: RequestInit & { expect: number }): Promise<{ body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== init.expect) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text.slice(0, 500)}`);
  return { body: text === '' ? null : JSON.parse(text), headers: res.headers };
}

/** Returns a bearer token of the tenant admin, with the simulator configured as the active provider. */
export async function setUpTenant(mosaicUrl: string, sim: { apiKey: string }): Promise<string> {
  const login = await call(`${mosaicUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
    expect: 200,
  });
  const cookie = (login.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
  const session = { 'content-type': 'application/json', cookie, 'x-csrf-token': login.body.csrfToken as string };
  // baseUrl null: the operator's default (MOSAIC_ANTHROPIC_BASE_URL), i.e. the simulator.
  await call(`${mosaicUrl}/api/admin/ai/providers`, {
    method: 'POST',
    headers: session,
    body: JSON.stringify({ kind: 'anthropic', label: 'Simulator', apiKey: sim.apiKey, baseUrl: null, models: BENCH_MODELS, activate: true }),
    expect: 201,
  });
  await call(`${mosaicUrl}/api/admin/ai/limits`, {
    method: 'PUT',
    headers: session,
    body: JSON.stringify({ monthlyBudgetUsd: 1_000_000, perUserMonthlyBudgetUsd: 1_000_000 }),
    expect: 200,
  });
  const token = await call(`${mosaicUrl}/api/tokens`, {
    method: 'POST',
    headers: session,
    body: JSON.stringify({ name: 'bench load' }),
    expect: 201,
  });
  return token.body.token as string;
}
