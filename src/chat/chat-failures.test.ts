// No failure loses a message, on any provider path: one table of provider failures (mid-stream, before the
// stream, and Azure's content filters) runs over anthropic, openai, azure-openai and azure-anthropic, each
// answered as the contract says with the user's message and the partial answer stored. After it, the
// failures that do not depend on the provider: a second message while one is written, the budget, a client
// that leaves, and the kill switch.
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
  type ProviderCaseName,
  type SseEvent,
} from './testing/chat-test-kit.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { CONTENT_FILTER_MESSAGE } from './agent/agent-prompts.ts';

/** What differs by path whatever the failure. */
interface PathFacts {
  /** The provider the user configured, as error messages name it. */
  names: RegExp;
  /**
   * What the next message gets after a refusal before the stream. The unanswered question is sent again with
   * it: the Anthropic wire merges the two into a single user turn (the turns must alternate), so the simulator
   * still sees the fault directive and refuses again; OpenAI-style history keeps them apart.
   */
  nextAfterRefusal: 'answered' | 'refused-again';
}

const PATHS: Readonly<Record<ProviderCaseName, PathFacts>> = {
  anthropic: { names: /Anthropic/, nextAfterRefusal: 'refused-again' },
  openai: { names: /OpenAI/, nextAfterRefusal: 'answered' },
  'azure-openai': { names: /Azure AI Foundry/, nextAfterRefusal: 'answered' },
  'azure-anthropic': { names: /Azure AI Foundry/, nextAfterRefusal: 'refused-again' },
};

/** One value for every path, or one per path where they differ. */
type PerPath<T extends string | number> = T | Readonly<Record<ProviderCaseName, T>>;

const onPath = <T extends string | number>(value: PerPath<T>, path: ProviderCaseName): T => (typeof value === 'object' ? value[path] : value);

type FailureCase = { fault: string; paths?: readonly ProviderCaseName[] } & (
  | { stage: 'mid-stream'; code: PerPath<string> }
  | { stage: 'before-stream'; status: number; code: string; message?: RegExp; hint?: RegExp }
  | { stage: 'filtered-output' }
);

const FAILURES: readonly FailureCase[] = [
  // The Anthropic wire's mid-stream error is `overloaded_error`; the OpenAI-style one is a `server_error`.
  {
    stage: 'mid-stream',
    fault: 'error-mid-stream',
    code: { anthropic: 'provider_overloaded', openai: 'provider_error', 'azure-openai': 'provider_error', 'azure-anthropic': 'provider_overloaded' },
  },
  // A cut connection is a provider error on every path.
  { stage: 'mid-stream', fault: 'reset-mid-stream', code: 'provider_error' },
  { stage: 'before-stream', fault: '429:10', status: 429, code: 'rate_limited' },
  { stage: 'before-stream', fault: '529', status: 503, code: 'provider_overloaded' },
  { stage: 'before-stream', fault: 'quota', status: 502, code: 'quota_exceeded' },
  // Azure's prompt filter sits in front of the OpenAI-style deployments only: Claude on Foundry has no such
  // answer (the simulator ignores the directive on the Anthropic wire) and neither does OpenAI itself.
  { stage: 'before-stream', fault: 'content-filter', status: 422, code: 'content_filtered', message: /content filter/i, hint: /Rephrase/, paths: ['azure-openai'] },
  // Filtered output is an OpenAI-style finish reason (`content_filter`), which OpenAI sends too; the Anthropic
  // wire has none.
  { stage: 'filtered-output', fault: 'content-filter-output', paths: ['openai', 'azure-openai'] },
];

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

for (const kind of dialectsUnderTest()) {
  for (const path of Object.keys(PATHS) as ProviderCaseName[]) {
    describe(`chat failures on ${path} (${kind})`, () => {
      let kit: ChatKit;
      before(async () => {
        kit = await startChatKit(kind, { sim });
        await addProvider(kit, providerCase(path));
      });
      after(async () => kit.close());

      for (const failure of FAILURES) {
        if (failure.paths && !failure.paths.includes(path)) continue;
        switch (failure.stage) {
          case 'mid-stream':
            it(`${failure.fault}: one error event after the partial text, the partial answer stored as error`, () => expectErrorAfterPartial(kit, path, failure.fault, onPath(failure.code, path)));
            break;
          case 'before-stream':
            it(`${failure.fault} before the stream: ${failure.status} ${failure.code} as JSON, the user's message and the failed answer stored`, () => expectRefusedBeforeStream(kit, path, failure));
            break;
          case 'filtered-output':
            it(`${failure.fault}: the stream ends cleanly with finishReason content-filter, the partial answer stored`, () => expectCutShortByFilter(kit, failure.fault));
            break;
        }
      }
    });
  }

  describe(`chat failures beyond the provider (${kind})`, () => {
    let kit: ChatKit;
    before(async () => {
      kit = await startChatKit(kind, { sim });
      await addProvider(kit, providerCase('anthropic'));
    });
    after(async () => kit.close());

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

/** A fault after half the answer: the partial text, then one error event; stored, recorded, and the session free. */
async function expectErrorAfterPartial(kit: ChatKit, path: ProviderCaseName, fault: string, code: string): Promise<void> {
  const sessionId = await createChatSession(kit);
  const { status, events } = await sendMessage(kit, sessionId, `Tell me a story [[sim:no-tools]] [[sim:words:40]] [[sim:${fault}]]`);
  assert.equal(status, 200);
  const shape = streamShape(events);
  assert.deepEqual(shape, ['message-start', 'text-delta', 'error'], shape.join());
  const error = events.at(-1)!.data.error;
  assert.equal(error.code, code);
  assert.match(error.message, PATHS[path].names, 'the message names the provider the user configured');
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
}

/** A refusal before any token: JSON with the mapped status, the failed answer stored and recorded, the lease released. */
async function expectRefusedBeforeStream(kit: ChatKit, path: ProviderCaseName, failure: Extract<FailureCase, { stage: 'before-stream' }>): Promise<void> {
  const { fault, status, code } = failure;
  const sessionId = await createChatSession(kit);
  const res = await sendMessage(kit, sessionId, `Hello [[sim:${fault}]]`);
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(res.json.error.code, code);
  if (failure.message) assert.match(res.json.error.message, failure.message);
  if (failure.hint) assert.match(res.json.error.hint, failure.hint);
  const session = await getSession(kit, sessionId);
  assert.equal(session.status, 200);
  const [user, answer] = session.json.messages;
  assert.equal(user.content, `Hello [[sim:${fault}]]`);
  assert.equal(answer.status, 'error');
  assert.equal(answer.errorCode, code);
  const record = await modelCallRecord(kit, sessionId);
  assert.equal(record.outcome, 'error');
  assert.equal(record.error_code, code);
  assert.equal(await leaseOwner(kit, sessionId), null);
  // The lease is released: the next message reaches the provider (see PathFacts.nextAfterRefusal).
  const next = await sendMessage(kit, sessionId, 'Again [[sim:no-tools]]');
  if (PATHS[path].nextAfterRefusal === 'refused-again') {
    assert.equal(next.json?.error?.code, code, JSON.stringify(next.json));
    const sent = sim.requests.last(providerCase(path).simProvider)!.body as { messages: Array<{ role: string }> };
    assert.deepEqual(sent.messages.map((m) => m.role), ['user']);
  } else {
    assert.ok(next.events.some((e) => e.event === 'message-end'), JSON.stringify(next.json ?? next.events.at(-1)));
  }
}

/** Output the filter caught: a clean end that says why it stops short, live and when reloaded. */
async function expectCutShortByFilter(kit: ChatKit, fault: string): Promise<void> {
  const sessionId = await createChatSession(kit);
  const { status, events } = await sendMessage(kit, sessionId, `Tell me a story [[sim:no-tools]] [[sim:words:40]] [[sim:${fault}]]`);
  assert.equal(status, 200);
  const shape = streamShape(events);
  assert.deepEqual(shape.slice(0, 3), ['message-start', 'text-delta', 'message-end'], shape.join());
  assert.equal(shape.includes('error'), false);
  const end = events.find((e) => e.event === 'message-end')!;
  assert.equal(end.data.finishReason, 'content-filter');
  const shown = events.filter((e) => e.event === 'text-delta').map((e) => e.data.text).join('');
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
}

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

async function leaseOwner(kit: ChatKit, sessionId: string): Promise<string | null> {
  const row = await kit.t.ctx.db.selectFrom('chat_sessions').select('lease_owner').where('id', '=', sessionId).executeTakeFirstOrThrow();
  return row.lease_owner;
}

async function modelCallRecord(kit: ChatKit, sessionId: string) {
  return kit.t.ctx.db.selectFrom('call_records').selectAll().where('session_id', '=', sessionId).where('type', '=', 'model_call').executeTakeFirstOrThrow();
}
