// The agent loop against the simulator: the tenant's step limit stops a runaway loop with a clear final
// message, and the dataset stays read-only whatever SQL the model asks for.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../sim/simulator.ts';
import { addProvider, api, createChatSession, getSession, providerCase, sendMessage, startChatKit, streamShape, type ChatKit } from '../testing/chat-test-kit.ts';
import { dialectsUnderTest } from '../../testing/test-db.ts';
import { TEST_DATASET_DIR } from '../../testing/test-context.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

for (const kind of dialectsUnderTest()) {
  describe(`orchestrator (${kind})`, () => {
    let kit: ChatKit;
    before(async () => {
      kit = await startChatKit(kind, { sim });
      await addProvider(kit, providerCase('openai'));
    });
    after(async () => kit.close());

    it('stops at the tenant step limit with a clear final message', async () => {
      const limits = await api(kit, 'PUT', '/api/admin/ai/limits', { maxAgentSteps: 3 });
      assert.equal(limits.status, 200);
      try {
        const sessionId = await createChatSession(kit);
        const { events } = await sendMessage(kit, sessionId, 'Dig deep [[sim:steps:20]]');
        const end = events.find((e) => e.event === 'message-end')!;
        assert.equal(end.data.finishReason, 'step-limit');
        assert.equal(events.filter((e) => e.event === 'tool-call').length, 3);
        assert.equal(events.filter((e) => e.event === 'tool-result').length, 3);
        const text = events.filter((e) => e.event === 'text-delta').map((e) => e.data.text).join('');
        assert.match(text, /I stopped after 3 steps without finishing/);
        const calls = await kit.t.ctx.db
          .selectFrom('call_records')
          .select('id')
          .where('session_id', '=', sessionId)
          .where('type', '=', 'model_call')
          .where('flow', '=', 'orchestrator')
          .execute();
        assert.equal(calls.length, 3);
        const answer = (await getSession(kit, sessionId)).json.messages.at(-1);
        assert.equal(answer.status, 'complete');
        assert.match(answer.content, /I stopped after 3 steps/);
      } finally {
        await api(kit, 'PUT', '/api/admin/ai/limits', { maxAgentSteps: 8 });
      }
    });

    it('keeps the dataset read-only: DELETE and ATTACH come back as tool errors and nothing changes', async () => {
      const sessionId = await createChatSession(kit);
      // Any real file another query could read: here the dataset's own file under another name.
      const mosaicDb = path.join(TEST_DATASET_DIR, 'sample-sales.db');
      const calls = [
        `[[sim:call:run_query:{"sql":"DELETE FROM orders"}]]`,
        `[[sim:call:run_query:{"sql":"ATTACH DATABASE '${mosaicDb}' AS other"}]]`,
        `[[sim:call:run_query:{"sql":"SELECT COUNT(*) AS n FROM orders"}]]`,
      ].join(' ');
      const { events } = await sendMessage(kit, sessionId, `Clean up the orders ${calls}`);
      assert.deepEqual(streamShape(events).slice(0, 7), ['message-start', 'tool-call', 'tool-result', 'tool-call', 'tool-result', 'tool-call', 'tool-result']);
      const results = events.filter((e) => e.event === 'tool-result').map((e) => e.data.output);
      assert.equal(results[0].error.code, 'not_read_only');
      assert.equal(results[1].error.code, 'not_read_only');
      assert.deepEqual(results[2].rows, [[5000]], 'every order is still there');
      const tools = await kit.t.ctx.db.selectFrom('call_records').select(['tool', 'outcome', 'error_code']).where('session_id', '=', sessionId).where('type', '=', 'tool_call').orderBy('at').execute();
      assert.deepEqual(tools.map((t) => t.outcome).sort(), ['error', 'error', 'success']);
      assert.deepEqual(tools.filter((t) => t.outcome === 'error').map((t) => t.error_code), ['not_read_only', 'not_read_only']);
    });
  });
}
