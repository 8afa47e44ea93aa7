// GET /metrics shows what operators watch beside HTTP: model calls by provider, model, flow and outcome,
// tokens, cost, tool calls and budget refusals — and never a tenant or user id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProvider, api, createChatSession, providerCase, sendMessage, startChatKit } from '../chat/testing/chat-test-kit.ts';

async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

function value(text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('model calls, tokens, cost, tool calls and budget refusals reach /metrics', async () => {
  const kit = await startChatKit('sqlite', { env: { MOSAIC_CHEAP_FLOWS: '0' } });
  try {
    await addProvider(kit, providerCase('anthropic'));
    const sessionId = await createChatSession(kit);
    const answer = await sendMessage(kit, sessionId, 'How many orders are there?');
    assert.ok(answer.events.some((e) => e.event === 'message-end'), JSON.stringify(answer.events.map((e) => e.event)));

    const text = await scrape(kit.baseUrl);
    const model = providerCase('anthropic').orchestrator;
    assert.ok(value(text, 'mosaic_model_calls_total', { provider: 'anthropic', model, flow: 'orchestrator', outcome: 'success' }) >= 2, 'a tool step and the final answer');
    assert.ok(value(text, 'mosaic_model_tokens_total', { provider: 'anthropic', model, direction: 'output' }) > 0);
    assert.ok(value(text, 'mosaic_model_cost_usd_total', { provider: 'anthropic', model }) > 0);
    assert.equal(value(text, 'mosaic_tool_calls_total', { tool: 'describe_dataset', outcome: 'success' }), 1);
    assert.ok(text.includes('mosaic_model_call_duration_seconds_bucket{'));
    assert.ok(!text.includes(kit.seeded.tenant.id) && !text.includes(kit.seeded.admin.email), 'no tenant or user in any label');

    const limits = await api(kit, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: 0.000001, alertAtPct: null, perUserMonthlyBudgetUsd: null, maxAgentSteps: 8 });
    assert.equal(limits.status, 200, JSON.stringify(limits.json));
    const refused = await sendMessage(kit, await createChatSession(kit), 'One more?');
    assert.equal(refused.status, 402);
    assert.equal(value(await scrape(kit.baseUrl), 'mosaic_budget_refusals_total', { scope: 'tenant' }), 1);
  } finally {
    await kit.close();
  }
});
