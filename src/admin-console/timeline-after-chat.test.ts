// Issue 6: "timeline contents after a tool-using chat" — a real chat against the simulator, then the
// admin endpoints: which model served each call, the tool calls, tokens and cost, and no chat content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProvider, api, createChatSession, providerCase, sendMessage, startChatKit } from '../chat/testing/chat-test-kit.ts';

test('after a tool-using chat, Session Detail shows each model and tool call with tokens and cost', async () => {
  const kit = await startChatKit('sqlite');
  try {
    const anthropic = providerCase('anthropic');
    await addProvider(kit, anthropic);
    const sessionId = await createChatSession(kit);
    const question = 'Which region sells most? [[sim:call:describe_dataset:{}]] [[sim:call:run_query:{"sql":"SELECT region, COUNT(*) AS n FROM customers GROUP BY region"}]]';
    const answer = await sendMessage(kit, sessionId, question);
    assert.ok(answer.events.some((e) => e.event === 'message-end'));

    const detail = await api(kit, 'GET', `/api/admin/ai/sessions/${sessionId}`);
    assert.equal(detail.status, 200, JSON.stringify(detail.json));
    const timeline = detail.json.timeline as Array<Record<string, any>>;
    const orchestratorCalls = timeline.filter((t) => t.type === 'model_call' && t.model === anthropic.orchestrator);
    assert.equal(orchestratorCalls.length, 3, 'two tool steps and the final answer, on the model the admin selected');
    for (const call of orchestratorCalls) {
      assert.equal(call.outcome, 'success');
      assert.ok(call.inputTokens > 0 && call.outputTokens > 0);
      assert.ok(call.costUsd > 0);
      assert.equal(typeof call.durationMs, 'number');
    }
    assert.deepEqual(timeline.filter((t) => t.type === 'tool_call').map((t) => [t.tool, t.outcome]), [['describe_dataset', 'success'], ['run_query', 'success']]);
    // Each model call says what it was for; the cheap flows ran on the fast model.
    assert.deepEqual(orchestratorCalls.map((t) => t.flow), ['orchestrator', 'orchestrator', 'orchestrator']);
    assert.deepEqual(timeline.filter((t) => t.type === 'model_call' && t.model === anthropic.fast).map((t) => t.flow).sort(), ['suggestions', 'title']);
    assert.deepEqual(timeline.filter((t) => t.type === 'tool_call').map((t) => t.flow), ['orchestrator', 'orchestrator'], "the orchestrator's tool calls");
    const times = timeline.map((t) => t.at);
    assert.deepEqual([...times].sort(), times, 'in time order');
    assert.equal(JSON.stringify(detail.json).includes('GROUP BY'), false, 'no chat content (not even the SQL) in the timeline');

    const list = await api(kit, 'GET', '/api/admin/ai/sessions');
    const row = list.json.sessions.find((s: { id: string }) => s.id === sessionId);
    assert.equal(row.model, anthropic.orchestrator, 'AI Sessions shows the model the admin selected');
    assert.equal(row.outcome, 'success');
    assert.ok(row.costUsd > 0 && row.inputTokens > 0);
  } finally {
    await kit.close();
  }
});
