// No failure loses a message on Azure either: each fault of the simulator, mid-stream and before it, on both
// Azure API styles (OpenAI-style deployments and Claude on Foundry), plus Azure's own content filter on the
// prompt (before the stream) and on the output (a 200 stream cut short). Mirrors chat-failures.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import { addProvider, createChatSession, getSession, providerCase, sendMessage, startChatKit, streamShape, type ChatKit } from './testing/chat-test-kit.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { CONTENT_FILTER_MESSAGE } from './agent/agent-prompts.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

async function leaseOwner(kit: ChatKit, sessionId: string): Promise<string | null> {
  const row = await kit.t.ctx.db.selectFrom('chat_sessions').select('lease_owner').where('id', '=', sessionId).executeTakeFirstOrThrow();
  return row.lease_owner;
}

async function modelCallRecord(kit: ChatKit, sessionId: string) {
  return kit.t.ctx.db.selectFrom('call_records').selectAll().where('session_id', '=', sessionId).where('type', '=', 'model_call').executeTakeFirstOrThrow();
}

for (const kind of dialectsUnderTest()) {
  for (const caseName of ['azure-openai', 'azure-anthropic'] as const) {
    describe(`chat failures on ${caseName} (${kind})`, () => {
      let kit: ChatKit;
      before(async () => {
        kit = await startChatKit(kind, { sim });
        await addProvider(kit, providerCase(caseName));
      });
      after(async () => kit.close());

      for (const fault of ['error-mid-stream', 'reset-mid-stream'] as const) {
        it(`${fault}: one error event after the partial text, the partial answer stored as error`, async () => {
          const sessionId = await createChatSession(kit);
          const { status, events } = await sendMessage(kit, sessionId, `Tell me a story [[sim:no-tools]] [[sim:words:40]] [[sim:${fault}]]`);
          assert.equal(status, 200);
          const shape = streamShape(events);
          assert.deepEqual(shape, ['message-start', 'text-delta', 'error'], shape.join());
          const error = events.at(-1)!.data.error;
          // Claude on Foundry speaks Anthropic's wire: its mid-stream error is `overloaded_error`; the
          // OpenAI-style one is a `server_error`; a cut connection is a provider error on both.
          const expected = fault === 'error-mid-stream' && caseName === 'azure-anthropic' ? 'provider_overloaded' : 'provider_error';
          assert.equal(error.code, expected);
          assert.match(error.message, /Azure AI Foundry/, 'the message names the provider the user configured');
          const partial = events.filter((e) => e.event === 'text-delta').map((e) => e.data.text).join('');
          assert.ok(partial.length > 0);
          const [user, answer] = (await getSession(kit, sessionId)).json.messages;
          assert.equal(user.status, 'complete');
          assert.equal(answer.status, 'error');
          assert.equal(answer.errorCode, error.code);
          assert.equal(answer.content, partial);
          const record = await modelCallRecord(kit, sessionId);
          assert.equal(record.outcome, 'error');
          assert.equal(record.error_code, error.code);
          assert.equal(await leaseOwner(kit, sessionId), null);
          // The session is usable again at once.
          const next = await sendMessage(kit, sessionId, 'Again [[sim:no-tools]]');
          assert.ok(next.events.some((e) => e.event === 'message-end'), JSON.stringify(next.json ?? next.events.at(-1)));
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
          assert.equal(res.status, status, JSON.stringify(res.json));
          assert.equal(res.json.error.code, code);
          const [user, answer] = (await getSession(kit, sessionId)).json.messages;
          assert.equal(user.content, `Hello [[sim:${fault}]]`);
          assert.equal(answer.status, 'error');
          assert.equal(answer.errorCode, code);
          assert.equal(await leaseOwner(kit, sessionId), null);
          // The lease is released: the next message reaches the provider. On the Anthropic wire the unanswered
          // question is sent again merged with the new one into a single user turn (the turns must alternate),
          // so the simulator still sees the fault directive there; OpenAI-style history keeps them apart.
          const next = await sendMessage(kit, sessionId, 'Again [[sim:no-tools]]');
          if (caseName === 'azure-anthropic') {
            assert.equal(next.json?.error?.code, code, JSON.stringify(next.json));
            const sent = sim.requests.last('azure')!.body as { messages: Array<{ role: string }> };
            assert.deepEqual(sent.messages.map((m) => m.role), ['user']);
          } else {
            assert.ok(next.events.some((e) => e.event === 'message-end'), JSON.stringify(next.json ?? next.events.at(-1)));
          }
        });
      }

      // Azure's content filter sits in front of the OpenAI-style deployments only (the simulator ignores it on
      // the Anthropic wire, as Claude on Foundry has no such field).
      if (caseName !== 'azure-openai') return;

      it('a filtered prompt: 422 content_filtered as JSON with a hint, the failed answer stored', async () => {
        const sessionId = await createChatSession(kit);
        const res = await sendMessage(kit, sessionId, 'Something rude [[sim:content-filter]]');
        assert.equal(res.status, 422, JSON.stringify(res.json));
        assert.equal(res.json.error.code, 'content_filtered');
        assert.match(res.json.error.message, /content filter/i);
        assert.match(res.json.error.hint, /Rephrase/);
        const [user, answer] = (await getSession(kit, sessionId)).json.messages;
        assert.equal(user.content, 'Something rude [[sim:content-filter]]');
        assert.equal(answer.status, 'error');
        assert.equal(answer.errorCode, 'content_filtered');
        const record = await modelCallRecord(kit, sessionId);
        assert.equal(record.outcome, 'error');
        assert.equal(record.error_code, 'content_filtered');
        assert.equal(await leaseOwner(kit, sessionId), null);
        const next = await sendMessage(kit, sessionId, 'Politely [[sim:no-tools]]');
        assert.ok(next.events.some((e) => e.event === 'message-end'));
      });

      it('filtered output: the stream ends cleanly with finishReason content-filter, the partial answer stored', async () => {
        const sessionId = await createChatSession(kit);
        const { status, events } = await sendMessage(kit, sessionId, `Tell me a story [[sim:no-tools]] [[sim:words:40]] [[sim:content-filter-output]]`);
        assert.equal(status, 200);
        const shape = streamShape(events);
        assert.deepEqual(shape.slice(0, 3), ['message-start', 'text-delta', 'message-end'], shape.join());
        assert.equal(shape.includes('error'), false);
        const end = events.find((e) => e.event === 'message-end')!;
        assert.equal(end.data.finishReason, 'content-filter');
        const shown = events.filter((e) => e.event === 'text-delta').map((e) => e.data.text).join('');
        // The answer says why it stops short, live and (below) when the conversation is reloaded.
        assert.ok(shown.endsWith(CONTENT_FILTER_MESSAGE), shown);
        const partial = shown.slice(0, -CONTENT_FILTER_MESSAGE.length);
        assert.ok(partial.length > 0);
        // Half of the 40 chunks: the filter cut the answer short, and what was shown is what is kept.
        assert.ok(partial.split(' ').length < 40, partial);
        const answer = (await getSession(kit, sessionId)).json.messages[1];
        assert.equal(answer.status, 'complete');
        assert.equal(answer.errorCode, null);
        assert.equal(answer.content, shown);
        assert.equal(await leaseOwner(kit, sessionId), null);
      });
    });
  }
}
