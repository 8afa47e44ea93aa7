// Pinning: a switch of the active provider never disturbs a running answer (it completes on the old
// provider) while new sessions use the new one; an idle session is re-pinned at its next message, the
// move is in its timeline, and its history — tool calls and results included — goes to the new provider.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import { addProvider, api, createChatSession, getSession, postMessageStream, providerCase, readSse, sendMessage, startChatKit, type SseEvent } from './testing/chat-test-kit.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const modelOf = (body: unknown) => (body as { model?: string }).model;

for (const kind of dialectsUnderTest()) {
  describe(`chat pinning (${kind})`, () => {
    it('switching the active provider lets a running stream finish on the old one; a new session uses the new one', async () => {
      const kit = await startChatKit(kind, { sim });
      try {
        const anthropic = providerCase('anthropic');
        const openai = providerCase('openai');
        await addProvider(kit, anthropic);
        const openaiId = await addProvider(kit, openai);
        const sessionId = await createChatSession(kit);
        sim.requests.clear();
        const res = await postMessageStream(kit, sessionId, 'Slow answer [[sim:no-tools]] [[sim:words:20]] [[sim:tps:20]]');
        const events: SseEvent[] = [];
        let switched = false;
        for await (const event of readSse(res.body!)) {
          events.push(event);
          if (event.event === 'text-delta' && !switched) {
            switched = true;
            const activated = await api(kit, 'POST', `/api/admin/ai/providers/${openaiId}/activate`);
            assert.equal(activated.status, 200);
          }
        }
        assert.ok(switched);
        const end = events.find((e) => e.event === 'message-end');
        assert.ok(end, events.map((e) => e.event).join());
        assert.equal(end.data.model, anthropic.orchestrator);
        assert.equal(sim.requests.byProvider('openai').filter((r) => r.method === 'POST').length, 0, 'nothing of that answer went to the new provider');
        const answer = (await getSession(kit, sessionId)).json.messages.at(-1);
        assert.equal(answer.status, 'complete');

        // The session is still in flight: its next message stays on its pinned provider.
        const again = await sendMessage(kit, sessionId, 'More [[sim:no-tools]]');
        assert.equal(again.events[0]!.data.model, anthropic.orchestrator);

        const created = await api(kit, 'POST', '/api/chat/sessions', {});
        assert.equal(created.json.session.providerKind, 'openai');
        assert.equal(created.json.session.model, openai.orchestrator);
        sim.requests.clear();
        const fresh = await sendMessage(kit, created.json.session.id, 'Hi [[sim:no-tools]]');
        assert.equal(fresh.events[0]!.data.model, openai.orchestrator);
        assert.ok(sim.requests.byProvider('openai').some((r) => modelOf(r.body) === openai.orchestrator));
        assert.equal(sim.requests.byProvider('anthropic').length, 0);
      } finally {
        await kit.close();
      }
    });

    it('re-pins an idle session to the active provider, records it, and carries the history across', async () => {
      const kit = await startChatKit(kind, { sim });
      try {
        const anthropic = providerCase('anthropic');
        const openai = providerCase('openai');
        const anthropicId = await addProvider(kit, anthropic);
        const openaiId = await addProvider(kit, openai);
        const sessionId = await createChatSession(kit);
        const first = await sendMessage(kit, sessionId, 'Count the orders [[sim:call:run_query:{"sql":"SELECT COUNT(*) AS n FROM orders"}]]');
        assert.ok(first.events.some((e) => e.event === 'message-end'));
        const firstCall = first.events.find((e) => e.event === 'tool-call')!.data;

        await api(kit, 'POST', `/api/admin/ai/providers/${openaiId}/activate`);
        kit.t.ctx.clock.advance((kit.t.ctx.config.sessionIdleMinutes + 1) * 60_000);
        assert.equal((await getSession(kit, sessionId)).json.session.status, 'completed', 'idle: no longer in flight');

        sim.requests.clear();
        const second = await sendMessage(kit, sessionId, 'And per country? [[sim:no-tools]]');
        assert.equal(second.events[0]!.data.model, openai.orchestrator);
        assert.ok(second.events.some((e) => e.event === 'message-end'));
        const read = await getSession(kit, sessionId);
        assert.equal(read.json.session.providerId, openaiId);
        assert.equal(read.json.session.status, 'in_flight');

        const repins = await kit.t.ctx.db.selectFrom('call_records').selectAll().where('session_id', '=', sessionId).where('type', '=', 'repin').execute();
        assert.equal(repins.length, 1);
        assert.deepEqual(JSON.parse(repins[0]!.details!), { from: anthropicId, to: openaiId, reason: 'idle' });
        assert.equal(repins[0]!.model, openai.orchestrator);

        // The new provider received the earlier turns, tool call and result converted to its own format.
        const request = sim.requests.byProvider('openai').find((r) => r.method === 'POST' && modelOf(r.body) === openai.orchestrator)!;
        const messages = (request.body as { messages: Array<{ role: string; content?: unknown; tool_calls?: Array<{ id: string; function: { name: string } }>; tool_call_id?: string }> }).messages;
        const roles = messages.map((m) => m.role);
        assert.deepEqual(roles.filter((r) => r !== 'system'), ['user', 'assistant', 'tool', 'assistant', 'user']);
        const callTurn = messages.find((m) => m.tool_calls !== undefined)!;
        assert.equal(callTurn.tool_calls![0]!.function.name, 'run_query');
        assert.equal(callTurn.tool_calls![0]!.id, firstCall.id);
        assert.equal(messages.find((m) => m.role === 'tool')!.tool_call_id, firstCall.id);
        assert.match(JSON.stringify(messages.find((m) => m.role === 'tool')!.content), /5000/);
        assert.match(String(messages.at(-1)!.content), /And per country/);
      } finally {
        await kit.close();
      }
    });
  });
}
