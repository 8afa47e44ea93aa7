// No failure loses a message: provider failures mid-stream and before it, a second message while one is
// written, the budget, a client that leaves, and the kill switch — each answered as the contract says,
// with the user's message and the partial answer stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import {
  addProvider,
  api,
  createChatSession,
  getSession,
  postMessageStream,
  providerCase,
  readSse,
  sendMessage,
  startChatKit,
  streamShape,
  type ChatKit,
  type SseEvent,
} from './testing/chat-test-kit.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function lastAnswer(kit: ChatKit, sessionId: string) {
  const read = await getSession(kit, sessionId);
  return read.json.messages.at(-1);
}

for (const kind of dialectsUnderTest()) {
  describe(`chat failures (${kind})`, () => {
    let kit: ChatKit;
    before(async () => {
      kit = await startChatKit(kind, { sim });
      await addProvider(kit, providerCase('anthropic'));
    });
    after(async () => kit.close());

    for (const [caseName, fault] of [
      ['anthropic', 'error-mid-stream'],
      ['anthropic', 'reset-mid-stream'],
      ['openai', 'error-mid-stream'],
      ['openai', 'reset-mid-stream'],
    ] as const) {
      it(`${fault} on ${caseName}: one error event after the partial text, the partial answer stored as error`, async () => {
        const local = await startChatKit(kind, { sim });
        try {
          await addProvider(local, providerCase(caseName));
          const sessionId = await createChatSession(local);
          const { status, events } = await sendMessage(local, sessionId, `Tell me a story [[sim:no-tools]] [[sim:words:40]] [[sim:${fault}]]`);
          assert.equal(status, 200);
          const shape = streamShape(events);
          assert.deepEqual(shape, ['message-start', 'text-delta', 'error'], shape.join());
          const error = events.at(-1)!.data.error;
          assert.equal(typeof error.code, 'string');
          assert.equal(typeof error.message, 'string');
          if (fault === 'error-mid-stream' && caseName === 'anthropic') assert.equal(error.code, 'provider_overloaded');
          const partial = events.filter((e) => e.event === 'text-delta').map((e) => e.data.text).join('');
          const [user, answer] = (await getSession(local, sessionId)).json.messages;
          assert.equal(user.status, 'complete');
          assert.equal(answer.status, 'error');
          assert.equal(answer.errorCode, error.code);
          assert.equal(answer.content, partial);
          assert.ok(partial.length > 0);
          const record = await local.t.ctx.db.selectFrom('call_records').selectAll().where('session_id', '=', sessionId).where('type', '=', 'model_call').executeTakeFirstOrThrow();
          assert.equal(record.outcome, 'error');
          assert.equal(record.error_code, error.code);
          // The session is usable again at once.
          const next = await sendMessage(local, sessionId, 'Again [[sim:no-tools]]');
          assert.ok(next.events.some((e) => e.event === 'message-end'));
        } finally {
          await local.close();
        }
      });
    }

    for (const [fault, status, code] of [
      ['429:10', 429, 'rate_limited'],
      ['529', 503, 'provider_overloaded'],
      ['quota', 502, 'quota_exceeded'],
    ] as const) {
      it(`${fault} before the stream: ${status} ${code} as JSON, the user's message and the failed answer stored`, async () => {
        const sessionId = await createChatSession(kit);
        const res = await sendMessage(kit, sessionId, `Hello [[sim:${fault}]]`);
        assert.equal(res.status, status);
        assert.equal(res.json.error.code, code);
        const [user, answer] = (await getSession(kit, sessionId)).json.messages;
        assert.equal(user.content, `Hello [[sim:${fault}]]`);
        assert.equal(answer.status, 'error');
        assert.equal(answer.errorCode, code);
        const session = await getSession(kit, sessionId);
        assert.equal(session.status, 200);
        assert.equal((await kit.t.ctx.db.selectFrom('chat_sessions').select('lease_owner').where('id', '=', sessionId).executeTakeFirstOrThrow()).lease_owner, null);
      });
    }

    it('a second message while an answer is being written gets 409 session_busy', async () => {
      const sessionId = await createChatSession(kit);
      const first = await postMessageStream(kit, sessionId, 'Slowly [[sim:no-tools]] [[sim:words:12]] [[sim:tps:20]]');
      const events: SseEvent[] = [];
      const reader = (async () => {
        for await (const event of readSse(first.body!)) events.push(event);
      })();
      await waitFor(async () => events.some((e) => e.event === 'text-delta'), 'the first answer to stream');
      // Saved as it streams (every 250 ms), before it is complete.
      const partial = await waitFor(async () => {
        const last = await lastAnswer(kit, sessionId);
        return last.status === 'streaming' && last.content.length > 0 ? last : null;
      }, 'the partial answer to be saved');
      assert.ok(partial.content.length > 0);
      const second = await sendMessage(kit, sessionId, 'Me too');
      assert.equal(second.status, 409);
      assert.equal(second.json.error.code, 'session_busy');
      await reader;
      assert.ok(events.some((e) => e.event === 'message-end'));
      const messages = (await getSession(kit, sessionId)).json.messages;
      assert.equal(messages.length, 2, 'the refused message was not stored');
      const again = await sendMessage(kit, sessionId, 'Now? [[sim:no-tools]]');
      assert.ok(again.events.some((e) => e.event === 'message-end'));
    });

    it('refuses with 402 budget_exhausted before calling the provider when the budget cannot hold the call', async () => {
      const local = await startChatKit(kind, { sim });
      try {
        await addProvider(local, providerCase('anthropic'));
        const limits = await api(local, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: 0.001, maxAgentSteps: 8 });
        assert.equal(limits.status, 200, JSON.stringify(limits.json));
        const sessionId = await createChatSession(local);
        const before = sim.requests.all().length;
        const res = await sendMessage(local, sessionId, 'Anything');
        assert.equal(res.status, 402);
        assert.equal(res.json.error.code, 'budget_exhausted');
        assert.equal(sim.requests.all().length, before, 'no request reached the provider');
        const [user, answer] = (await getSession(local, sessionId)).json.messages;
        assert.equal(user.content, 'Anything');
        assert.equal(answer.errorCode, 'budget_exhausted');
      } finally {
        await local.close();
      }
    });

    it('a client that disconnects cancels the upstream call and leaves the partial answer interrupted', async () => {
      const sessionId = await createChatSession(kit);
      sim.requests.clear();
      const controller = new AbortController();
      const res = await postMessageStream(kit, sessionId, 'Long story [[sim:no-tools]] [[sim:words:200]] [[sim:tps:40]]', { signal: controller.signal });
      let deltas = 0;
      try {
        for await (const event of readSse(res.body!)) {
          if (event.event === 'text-delta' && ++deltas === 3) controller.abort();
        }
      } catch {
        // the abort ends the read
      }
      const upstream = await sim.requests.waitFor((r) => r.provider === 'anthropic' && r.method === 'POST');
      assert.equal(await upstream.done, 'aborted-by-client');
      const answer = await waitFor(async () => {
        const last = await lastAnswer(kit, sessionId);
        return last.status === 'interrupted' ? last : null;
      }, 'the answer to be stored as interrupted');
      assert.ok(answer.content.length > 0, 'the partial answer is kept');
      assert.ok((upstream.closedAt!.getTime() - upstream.receivedAt.getTime()) < 4000, 'cut long before the 5 s answer would end');
    });

    it('the kill switch stops a running answer with ai_disabled; new sessions get ai_not_configured', async () => {
      const local = await startChatKit(kind, { sim });
      try {
        await addProvider(local, providerCase('anthropic'));
        const sessionId = await createChatSession(local);
        const res = await postMessageStream(local, sessionId, 'Long story [[sim:no-tools]] [[sim:words:200]] [[sim:tps:40]]');
        const events: SseEvent[] = [];
        let deactivated = false;
        for await (const event of readSse(res.body!)) {
          events.push(event);
          if (event.event === 'text-delta' && !deactivated) {
            deactivated = true;
            const off = await api(local, 'POST', '/api/admin/ai/deactivate');
            assert.equal(off.status, 200);
          }
        }
        assert.equal(events.at(-1)!.event, 'error');
        assert.equal(events.at(-1)!.data.error.code, 'ai_disabled');
        assert.equal(events.some((e) => e.event === 'message-end'), false);
        const answer = await lastAnswer(local, sessionId);
        assert.equal(answer.status, 'error');
        assert.equal(answer.errorCode, 'ai_disabled');
        const created = await api(local, 'POST', '/api/chat/sessions', {});
        assert.equal(created.status, 409);
        assert.equal(created.json.error.code, 'ai_not_configured');
        assert.match(created.json.error.hint, /Tenant Admin/);
      } finally {
        await local.close();
      }
    });
  });
}
