// The Anthropic wire codec against explicit values: the bodies @ai-sdk/anthropic sent for these requests,
// and the neutral events the SDK path made of the recorded fixtures (checked side by side
// with the SDK when this codec replaced it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../provider-error.ts';
import type { ModelCallRequest, ModelStreamEvent, ToolSpec } from '../provider.ts';
import { fixtureLines } from '../provider-test-server.ts';
import { StreamedFailure, type WireDecoder } from '../wire-decoder.ts';
import { anthropicMessagesBody, createAnthropicDecoder } from './anthropic-wire.ts';

const runSql: ToolSpec = {
  name: 'run_sql',
  description: 'Run a read-only query.',
  inputSchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
};

describe('anthropicMessagesBody', () => {
  it('a streamed first question with a system prompt and tools, keys in the SDK order', () => {
    const request: ModelCallRequest = { model: 'claude-sonnet-4-5', system: 'Be brief.', messages: [{ role: 'user', content: 'How many orders?' }], tools: [runSql], maxOutputTokens: 4096 };
    const body = anthropicMessagesBody(request, true);
    assert.deepEqual(body, {
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'How many orders?' }] }],
      tools: [{ name: 'run_sql', description: 'Run a read-only query.', input_schema: runSql.inputSchema, eager_input_streaming: true }],
      tool_choice: { type: 'auto' },
      stream: true,
    });
    assert.deepEqual(Object.keys(body), ['model', 'max_tokens', 'system', 'messages', 'tools', 'tool_choice', 'stream']);
  });

  it('a whole-answer call without system or tools names neither, nor stream', () => {
    const body = anthropicMessagesBody({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools: [], maxOutputTokens: 16 }, false);
    assert.equal(JSON.stringify(body), '{"model":"m","max_tokens":16,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}');
  });

  it('tools of a whole-answer call carry no eager_input_streaming', () => {
    const body = anthropicMessagesBody({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools: [runSql], maxOutputTokens: 16 }, false);
    assert.deepEqual(body.tools, [{ name: 'run_sql', description: 'Run a read-only query.', input_schema: runSql.inputSchema }]);
  });

  it('a tool round: text before tool_use, consecutive tool messages merged into one user message, errors flagged', () => {
    const body = anthropicMessagesBody(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'Orders by month, as a chart?' },
          {
            role: 'assistant',
            parts: [
              { type: 'tool-call', id: 'toolu_1', name: 'run_sql', input: { sql: 'SELECT 1' } },
              { type: 'text', text: '' },
              { type: 'text', text: 'Checking. ' },
              { type: 'tool-call', id: 'toolu_2', name: 'chart', input: undefined },
            ],
          },
          { role: 'tool', results: [{ type: 'tool-result', id: 'toolu_1', name: 'run_sql', output: { rows: [{ n: 3 }] } }] },
          { role: 'tool', results: [{ type: 'tool-result', id: 'toolu_2', name: 'chart', output: 'no such chart', isError: true }] },
          { role: 'user', content: 'And in June?' },
        ],
        maxOutputTokens: 100,
      },
      true,
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Orders by month, as a chart?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking. ' },
          { type: 'tool_use', id: 'toolu_1', name: 'run_sql', input: { sql: 'SELECT 1' } },
          { type: 'tool_use', id: 'toolu_2', name: 'chart', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"rows":[{"n":3}]}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '"no such chart"', is_error: true },
          { type: 'text', text: 'And in June?' },
        ],
      },
    ]);
  });

  it('an assistant turn with only empty text is dropped but keeps the user messages around it apart', () => {
    const body = anthropicMessagesBody(
      { model: 'm', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', parts: [{ type: 'text', text: '' }] }, { role: 'tool', results: [] }, { role: 'user', content: 'b' }], maxOutputTokens: 10 },
      true,
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'user', content: [{ type: 'text', text: 'b' }] },
    ]);
  });

  it('a prompt ending on assistant text has that text trimmed; earlier assistant text is sent as is', () => {
    const body = anthropicMessagesBody(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', parts: [{ type: 'text', text: ' kept \n' }] },
          { role: 'user', content: 'b' },
          { role: 'assistant', parts: [{ type: 'text', text: ' first ' }, { type: 'text', text: ' last \n' }] },
        ],
        maxOutputTokens: 10,
      },
      true,
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'assistant', content: [{ type: 'text', text: ' kept \n' }] },
      { role: 'user', content: [{ type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: ' first ' }, { type: 'text', text: 'last' }] },
    ]);
  });

  it('tool-call inputs: JSON text of an object is parsed, anything else not an object is wrapped', () => {
    const body = anthropicMessagesBody(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'a' },
          {
            role: 'assistant',
            parts: [
              { type: 'tool-call', id: '1', name: 'f', input: '{"a":1}' },
              { type: 'tool-call', id: '2', name: 'f', input: '{"a":' },
              { type: 'tool-call', id: '3', name: 'f', input: [1, 2] },
              { type: 'tool-call', id: '4', name: 'f', input: null },
            ],
          },
        ],
        maxOutputTokens: 10,
      },
      true,
    );
    const inputs = (body.messages as Array<{ content: Array<{ input?: unknown }> }>)[1]!.content.map((block) => block.input);
    assert.deepEqual(inputs, [{ a: 1 }, { rawInvalidInput: '{"a":' }, { rawInvalidInput: [1, 2] }, {}]);
  });

  it('tool outputs are sent as JSON text, undefined as null', () => {
    const body = anthropicMessagesBody(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', parts: [{ type: 'tool-call', id: '1', name: 'f', input: {} }] },
          {
            role: 'tool',
            results: [
              { type: 'tool-result', id: '1', name: 'f', output: undefined },
              { type: 'tool-result', id: '2', name: 'f', output: { a: undefined, b: [1, undefined] } },
              { type: 'tool-result', id: '3', name: 'f', output: false, isError: false },
            ],
          },
        ],
        maxOutputTokens: 10,
      },
      true,
    );
    assert.deepEqual((body.messages as Array<{ content: unknown[] }>)[2]!.content, [
      { type: 'tool_result', tool_use_id: '1', content: 'null' },
      { type: 'tool_result', tool_use_id: '2', content: '{"b":[1,null]}' },
      { type: 'tool_result', tool_use_id: '3', content: 'false' },
    ]);
  });

  it('temperature goes before system and is clamped to [0, 1]', () => {
    const body = (temperature: number) => anthropicMessagesBody({ model: 'm', system: 's', messages: [{ role: 'user', content: 'a' }], temperature, maxOutputTokens: 10 }, false);
    assert.deepEqual(Object.keys(body(0.3)), ['model', 'max_tokens', 'temperature', 'system', 'messages']);
    assert.equal(body(0.3).temperature, 0.3);
    assert.equal(body(0).temperature, 0);
    assert.equal(body(1.7).temperature, 1);
    assert.equal(body(-0.5).temperature, 0);
  });
});

function decode(lines: readonly string[], model = 'claude-test', decoder: WireDecoder = createAnthropicDecoder(model)): { events: ModelStreamEvent[]; decoder: WireDecoder } {
  const events: ModelStreamEvent[] = [];
  const emit = (event: ModelStreamEvent) => events.push(event);
  for (const line of lines) decoder.push((JSON.parse(line) as { type: string }).type, line, emit);
  decoder.end(emit);
  return { events, decoder };
}

const e = (value: unknown) => JSON.stringify(value);
const start = (usage: Record<string, unknown>, model: string | null = 'claude-test-20250101') =>
  e({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', ...(model === null ? {} : { model }), content: [], stop_reason: null, usage } });
const textStart = e({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const text = (t: string) => e({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } });
const blockStop = (index = 0) => e({ type: 'content_block_stop', index });
const messageDelta = (stopReason: string | null, usage: Record<string, unknown>) => e({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
const messageStop = e({ type: 'message_stop' });

describe('createAnthropicDecoder', () => {
  it('the recorded text stream: each non-empty text delta, then the finish with the reported model', () => {
    const { events, decoder } = decode(fixtureLines('anthropic/text.chunks.txt'), 'claude-sonnet-4-5');
    assert.deepEqual(events, [
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '! I' },
      { type: 'text-delta', text: "'m doing well, thank you for asking" },
      { type: 'text-delta', text: '. How are you doing today?' },
      { type: 'text-delta', text: ' Is' },
      { type: 'text-delta', text: ' there anything I can help you with?' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 30 }, model: 'claude-sonnet-4-5', responseModel: 'claude-sonnet-4-5-20250929' },
    ]);
    assert.equal(decoder.finished, true);
  });

  it('the recorded tool-use stream: the input fragments (an empty one and a ping between) become one tool call', () => {
    const { events } = decode(fixtureLines('anthropic/tool-use.chunks.txt'), 'claude-haiku-4-5');
    assert.deepEqual(events, [
      { type: 'tool-call', id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json', input: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] } },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 849, outputTokens: 47 }, model: 'claude-haiku-4-5', responseModel: 'claude-haiku-4-5-20251001' },
    ]);
  });

  it('text and two tool calls in one answer, each call when its block stops', () => {
    const { events } = decode([
      start({ input_tokens: 20 }),
      textStart,
      text('Let me look.'),
      blockStop(0),
      e({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'tu_1', name: 'run_sql', input: {} } }),
      e({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"sql": "SEL' } }),
      e({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ECT 1"}' } }),
      blockStop(1),
      e({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'tu_2', name: 'refresh', input: {} } }),
      blockStop(2),
      messageDelta('tool_use', { output_tokens: 9 }),
      messageStop,
    ]);
    assert.deepEqual(events.slice(0, 3), [
      { type: 'text-delta', text: 'Let me look.' },
      { type: 'tool-call', id: 'tu_1', name: 'run_sql', input: { sql: 'SELECT 1' } },
      { type: 'tool-call', id: 'tu_2', name: 'refresh', input: {} },
    ]);
  });

  it('a tool input given whole in content_block_start is kept; unreadable input JSON stays text', () => {
    const { events } = decode([
      start({ input_tokens: 1 }),
      e({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'a', name: 'f', input: { q: 1 } } }),
      blockStop(0),
      e({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'b', name: 'f', input: {} } }),
      e({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":' } }),
      blockStop(1),
      messageDelta('tool_use', { output_tokens: 3 }),
      messageStop,
    ]);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'tool-call', id: 'a', name: 'f', input: { q: 1 } },
      { type: 'tool-call', id: 'b', name: 'f', input: '{"q":' },
    ]);
  });

  it('input counts cache writes and reads; message_delta numbers replace message_start ones', () => {
    const { events } = decode([
      start({ input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 3000, output_tokens: 1 }),
      textStart,
      text('Hi'),
      blockStop(),
      messageDelta('end_turn', { input_tokens: 11, cache_creation_input_tokens: 5, cache_read_input_tokens: null, output_tokens: 7 }),
      messageStop,
    ]);
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop', usage: { inputTokens: 11 + 5 + 3000, outputTokens: 7 }, model: 'claude-test', responseModel: 'claude-test-20250101' });
  });

  it('without message_delta the output is 0 (message_start output_tokens is not the answer) and the reason other', () => {
    const { events } = decode([start({ input_tokens: 10, output_tokens: 4 }), textStart, text('Hi'), blockStop(), messageStop]);
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'other', usage: { inputTokens: 10, outputTokens: 0 }, model: 'claude-test', responseModel: 'claude-test-20250101' });
  });

  it('server-side iterations: the executor iterations are summed, cache counted on top', () => {
    const usage = {
      output_tokens: 7,
      cache_read_input_tokens: 2,
      iterations: [
        { type: 'compaction', input_tokens: 100, output_tokens: 20 },
        { type: 'message', input_tokens: 30, output_tokens: 7 },
        { type: 'advisor_message', input_tokens: 999, output_tokens: 999 },
      ],
    };
    const { events } = decode([start({ input_tokens: 10 }), messageDelta('end_turn', usage), messageStop]);
    assert.deepEqual((events.at(-1) as { usage: unknown }).usage, { inputTokens: 132, outputTokens: 27 });
  });

  it('stop reasons map as the SDK mapped them', () => {
    const finishOf = (reason: string | null) => (decode([start({ input_tokens: 1 }), messageDelta(reason, { output_tokens: 1 }), messageStop]).events.at(-1) as { finishReason: string }).finishReason;
    assert.deepEqual(
      ['end_turn', 'stop_sequence', 'pause_turn', 'tool_use', 'max_tokens', 'model_context_window_exceeded', 'refusal', 'compaction', null].map(finishOf),
      ['stop', 'stop', 'stop', 'tool-calls', 'length', 'length', 'content-filter', 'other', 'other'],
    );
  });

  it('the requested model stands in when message_start names none', () => {
    const { events } = decode([start({ input_tokens: 1 }, null), messageDelta('end_turn', { output_tokens: 1 }), messageStop], 'claude-deploy');
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, model: 'claude-deploy', responseModel: 'claude-deploy' });
  });

  it('ping, empty text, thinking blocks and unknown event types give no events', () => {
    const { events } = decode([
      start({ input_tokens: 1 }),
      e({ type: 'ping' }),
      e({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
      e({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }),
      blockStop(0),
      e({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      e({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '' } }),
      e({ type: 'brand_new_event', detail: 1 }),
      e({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi' } }),
      blockStop(1),
      messageDelta('end_turn', { output_tokens: 2 }),
      messageStop,
    ]);
    assert.deepEqual(events.map((event) => event.type), ['text-delta', 'finish']);
  });

  it('a stream cut before message_stop is not finished, and end() adds nothing', () => {
    const { events, decoder } = decode([start({ input_tokens: 1 }), textStart, text('Hel'), blockStop(), messageDelta('end_turn', { output_tokens: 2 })]);
    assert.deepEqual(events, [{ type: 'text-delta', text: 'Hel' }]);
    assert.equal(decoder.finished, false);
  });

  it('an error event mid-stream throws StreamedFailure with the status its type stands for, after the text already given', () => {
    const decoder = createAnthropicDecoder('m');
    const events: ModelStreamEvent[] = [];
    const push = (line: string) => decoder.push((JSON.parse(line) as { type: string }).type, line, (event) => events.push(event));
    for (const line of fixtureLines('anthropic/text.chunks.txt').slice(0, 4)) push(line);
    assert.throws(
      () => push(e({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_9' })),
      (error: unknown) => {
        assert.ok(error instanceof StreamedFailure);
        assert.deepEqual(error.failure, { status: 529, type: 'overloaded_error', code: null, message: 'Overloaded', requestId: 'req_9', headers: {}, shaped: true });
        return true;
      },
    );
    assert.deepEqual(events, [{ type: 'text-delta', text: 'Hello' }]);
    assert.equal(decoder.finished, false);
  });

  it('an error event of a type it does not know has no status', () => {
    assert.throws(
      () => decode([start({ input_tokens: 1 }), e({ type: 'error', error: { type: 'weird_error', message: 'Odd' } })]),
      (error: unknown) => error instanceof StreamedFailure && error.failure.status === null && error.failure.type === 'weird_error' && error.failure.message === 'Odd',
    );
  });

  it('data that is not JSON is unexpected_response, naming the provider given', () => {
    const decoder = createAnthropicDecoder('claude-deploy', 'Azure AI Foundry');
    assert.throws(
      () => decoder.push('content_block_delta', '{"type":"content_block_delta",', () => {}),
      (error: unknown) =>
        error instanceof ProviderError &&
        error.code === 'unexpected_response' &&
        error.message === 'Azure AI Foundry answered in a way Mosaic could not read (a stream event that is not JSON).' &&
        !error.retryable,
    );
  });

  it('events missing the fields every answer needs are unexpected_response', () => {
    const unreadable = (error: unknown) => error instanceof ProviderError && error.code === 'unexpected_response' && error.message.startsWith('Anthropic answered in a way Mosaic could not read');
    assert.throws(() => decode([e({ type: 'message_start', message: { id: 'x', content: [] } })]), unreadable);
    assert.throws(() => decode([start({ input_tokens: 1 }), e({ type: 'message_delta', delta: { stop_reason: 'end_turn' } })]), unreadable);
    assert.throws(() => decode([start({ input_tokens: 1 }), e({ type: 'content_block_delta', index: 0 })]), unreadable);
    assert.throws(() => decode([start({ input_tokens: 1 }), e({ type: 'error' })]), unreadable);
  });

  it('a second message inside the first is unexpected_response; the same message_start again is skipped', () => {
    const { events } = decode([start({ input_tokens: 1 }), start({ input_tokens: 99 }), messageDelta('end_turn', { output_tokens: 1 }), messageStop]);
    assert.deepEqual((events.at(-1) as { usage: unknown }).usage, { inputTokens: 1, outputTokens: 1 });
    const other = e({ type: 'message_start', message: { id: 'msg_2', content: [], usage: { input_tokens: 2 } } });
    assert.throws(() => decode([start({ input_tokens: 1 }), other]), (error: unknown) => error instanceof ProviderError && error.code === 'unexpected_response');
  });
});
