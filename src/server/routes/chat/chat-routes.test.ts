// The chat over real sockets against the simulator, on every provider: a question answered through tool
// calls, streamed with the contract's events in order, stored with its parts, every call recorded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../../sim/simulator.ts';
import { addProvider, api, createChatSession, getSession, PROVIDER_CASES, sendMessage, startChatKit, streamShape, type ChatKit } from '../../../chat/testing/chat-test-kit.ts';
import { createUser, seedTenant, signIn } from '../../../testing/factories.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

for (const kind of dialectsUnderTest()) {
  for (const c of PROVIDER_CASES) {
    describe(`chat on ${c.name} (${kind})`, () => {
      let kit: ChatKit;
      before(async () => {
        kit = await startChatKit(kind, { sim });
        await addProvider(kit, c);
      });
      after(async () => kit.close());

      it('answers through tool calls, streams the contract events in order and stores everything', async () => {
        const sessionId = await createChatSession(kit);
        sim.requests.clear();
        const question = 'How many orders are there? [[sim:call:describe_dataset:{}]] [[sim:call:run_query:{"sql":"SELECT COUNT(*) AS n FROM orders"}]]';
        const { status, events, contentType } = await sendMessage(kit, sessionId, question);
        assert.equal(status, 200);
        assert.match(contentType ?? '', /^text\/event-stream/);
        const shape = streamShape(events);
        assert.deepEqual(shape.slice(0, 6), ['message-start', 'tool-call', 'tool-result', 'tool-call', 'tool-result', 'text-delta']);
        assert.equal(shape[6], 'message-end');
        assert.ok(shape.slice(7).every((name) => name === 'title' || name === 'suggestions'), shape.join());
        assert.equal(shape.filter((n) => n === 'message-start').length, 1);
        assert.equal(shape.filter((n) => n === 'message-end').length, 1);

        const start = events[0]!.data;
        assert.equal(start.model, c.orchestrator);
        const calls = events.filter((e) => e.event === 'tool-call');
        assert.deepEqual(calls.map((e) => e.data.name), ['describe_dataset', 'run_query']);
        const results = events.filter((e) => e.event === 'tool-result');
        assert.deepEqual(results.map((e) => e.data.id), calls.map((e) => e.data.id));
        assert.deepEqual(results[1]!.data.output.rows, [[5000]]);
        const end = events.find((e) => e.event === 'message-end')!.data;
        assert.equal(end.messageId, start.messageId);
        assert.equal(end.model, c.orchestrator);
        assert.equal(end.finishReason, 'stop');
        assert.ok(end.usage.inputTokens > 0 && end.usage.outputTokens > 0, JSON.stringify(end.usage));
        const text = events.filter((e) => e.event === 'text-delta').map((e) => e.data.text).join('');
        assert.match(text, /I looked at the data \(run_query\)/);

        // Stored: the user's message, and the answer complete with its steps.
        const read = await getSession(kit, sessionId);
        assert.equal(read.status, 200);
        const [user, answer] = read.json.messages;
        assert.equal(user.role, 'user');
        assert.equal(user.content, question);
        assert.equal(answer.id, start.messageId);
        assert.equal(answer.status, 'complete');
        assert.equal(answer.content, text);
        assert.equal(answer.model, c.orchestrator);
        assert.deepEqual(answer.usage, end.usage);
        assert.deepEqual(answer.parts.map((p: { type: string }) => p.type), ['tool-call', 'tool-result', 'tool-call', 'tool-result', 'text']);

        // Recorded: three orchestrator calls with tokens and cost, and two tool calls.
        const records = await kit.t.ctx.db.selectFrom('call_records').selectAll().where('session_id', '=', sessionId).orderBy('at').execute();
        const model = records.filter((r) => r.type === 'model_call' && r.flow === 'orchestrator');
        assert.equal(model.length, 3);
        for (const r of model) {
          assert.equal(r.outcome, 'success');
          assert.equal(r.model, c.orchestrator);
          assert.ok(Number(r.input_tokens) > 0 && Number(r.output_tokens) > 0);
          assert.ok(Number(r.cost_micros) > 0);
        }
        const tools = records.filter((r) => r.type === 'tool_call');
        assert.deepEqual(tools.map((r) => r.tool).sort(), ['describe_dataset', 'run_query']);
        assert.ok(tools.every((r) => r.outcome === 'success'));
        assert.doesNotMatch(tools.map((r) => r.details).join(' '), /5000/, 'no row data in the timeline');
        const session = await kit.t.ctx.db.selectFrom('chat_sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
        assert.equal(Number(session.turns), 1);
        assert.equal(session.lease_owner, null);
        assert.ok(Number(session.model_call_count) >= 3);
        assert.equal(Number(session.input_tokens), model.reduce((s, r) => s + Number(r.input_tokens), 0) + records.filter((r) => r.type === 'model_call' && r.flow !== 'orchestrator').reduce((s, r) => s + Number(r.input_tokens), 0));

        // Every orchestrator request went to the pinned model on this provider, with the tools.
        const upstream = sim.requests.byProvider(c.simProvider).filter((r) => r.method === 'POST');
        assert.ok(upstream.length >= 3);
      });

      if (c.name === 'anthropic') {
        it('titles the session and suggests follow-ups on the fast model', async () => {
          const sessionId = await createChatSession(kit);
          sim.requests.clear();
          const { events } = await sendMessage(kit, sessionId, 'Which country buys the most?');
          const title = events.find((e) => e.event === 'title');
          const suggestions = events.find((e) => e.event === 'suggestions');
          assert.ok(title && typeof title.data.title === 'string' && title.data.title.length > 0);
          assert.ok(suggestions && Array.isArray(suggestions.data.questions) && suggestions.data.questions.length >= 1 && suggestions.data.questions.length <= 3);
          const models = sim.requests.byProvider('anthropic').map((r) => (r.body as { model?: string }).model);
          assert.equal(models.filter((m) => m === c.fast).length, 2, models.join());
          const read = await getSession(kit, sessionId);
          assert.equal(read.json.session.title, title.data.title);
          const flows = await kit.t.ctx.db.selectFrom('call_records').select(['flow', 'model', 'outcome']).where('session_id', '=', sessionId).where('type', '=', 'model_call').execute();
          assert.deepEqual(flows.filter((f) => f.flow !== 'orchestrator').map((f) => [f.flow, f.model, f.outcome]).sort(), [['suggestions', c.fast, 'success'], ['title', c.fast, 'success']]);

          // The second answer gets follow-ups but keeps its title.
          const second = await sendMessage(kit, sessionId, 'And the least? [[sim:no-tools]]');
          assert.equal(second.events.some((e) => e.event === 'title'), false);
          assert.ok(second.events.some((e) => e.event === 'suggestions'));
        });

        it('answers JSON once complete without the stream header', async () => {
          const sessionId = await createChatSession(kit);
          const res = await api(kit, 'POST', `/api/chat/sessions/${sessionId}/messages`, { content: 'Hello [[sim:no-tools]]' });
          assert.equal(res.status, 200);
          const m = res.json.message;
          assert.equal(m.role, 'assistant');
          assert.match(m.content, /Simulated answer/);
          assert.equal(m.model, c.orchestrator);
          assert.ok(m.usage.inputTokens > 0);
          assert.deepEqual(m.parts.map((p: { type: string }) => p.type), ['text']);
        });

        it('lists own sessions newest first; another user, another tenant and bad ids get 404; bad bodies 400', async () => {
          const member = await createUser(kit.t.ctx, kit.seeded.tenant.id);
          const memberSession = await signIn(kit.t.app, member.email, member.password);
          const mine = await createChatSession(kit, memberSession);
          kit.t.ctx.clock.advance(1000);
          const mine2 = await createChatSession(kit, memberSession);
          const list = await api(kit, 'GET', '/api/chat/sessions', undefined, memberSession);
          assert.deepEqual(list.json.sessions.map((s: { id: string }) => s.id), [mine2, mine]);
          const adminsOwn = await createChatSession(kit);
          assert.equal((await getSession(kit, adminsOwn, memberSession)).status, 404);
          assert.equal((await api(kit, 'POST', `/api/chat/sessions/${adminsOwn}/messages`, { content: 'hi' }, memberSession)).status, 404);
          assert.equal((await getSession(kit, 'not-an-id', memberSession)).status, 404);
          const other = await seedTenant(kit.t.ctx);
          const otherSession = await signIn(kit.t.app, other.admin.email, other.admin.password);
          assert.equal((await getSession(kit, mine, otherSession)).status, 404);
          const empty = await api(kit, 'POST', `/api/chat/sessions/${mine}/messages`, { content: '' }, memberSession);
          assert.equal(empty.status, 400);
          assert.equal(empty.json.error.code, 'invalid_request');
          const long = await api(kit, 'POST', `/api/chat/sessions/${mine}/messages`, { content: 'x'.repeat(32_001) }, memberSession);
          assert.equal(long.status, 400);
          const anon = await fetch(`${kit.baseUrl}/api/chat/sessions`);
          assert.equal(anon.status, 401);
          const closed = await api(kit, 'POST', `/api/chat/sessions/${mine}/close`, undefined, memberSession);
          assert.equal(closed.status, 200);
          assert.equal(closed.json.session.status, 'completed');
          // The new session's shape.
          const created = await api(kit, 'POST', '/api/chat/sessions', {}, memberSession);
          assert.deepEqual(Object.keys(created.json.session).filter((k) => ['id', 'providerId', 'providerKind', 'model', 'status', 'createdAt'].includes(k)).length, 6);
          assert.equal(created.json.session.status, 'in_flight');
          assert.equal(created.json.session.model, c.orchestrator);
        });
      }
    });
  }
}
