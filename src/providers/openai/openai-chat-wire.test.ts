// The OpenAI Chat Completions codec against explicit values: the bodies @ai-sdk/openai (and @ai-sdk/azure's
// copy of it) sent for these requests, and the neutral events the SDK path made of the
// recorded fixtures and of these streams (checked side by side with the SDK when this codec replaced it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../provider-error.ts';
import type { ModelCallRequest, ModelStreamEvent, NeutralMessage, ToolSpec } from '../provider.ts';
import { fixtureLines } from '../provider-test-server.ts';
import { StreamedFailure, type WireDecoder } from '../wire-decoder.ts';
import { createOpenAIChatDecoder, mapOpenAIChatFinishReason, openAIChatBody } from './openai-chat-wire.ts';

const runQuery: ToolSpec = {
  name: 'run_query',
  description: 'Run one SELECT statement.',
  inputSchema: { type: 'object', properties: { sql: { type: 'string', minLength: 1 } }, required: ['sql'], additionalProperties: false },
};
const describeDataset: ToolSpec = { name: 'describe_dataset', description: 'Describe the dataset.', inputSchema: { type: 'object', properties: {}, additionalProperties: false } };

/** A tool round: text and two calls, results in two consecutive tool messages (one failed), then a call with no text. */
const toolRound: NeutralMessage[] = [
  { role: 'user', content: 'How many orders?' },
  {
    role: 'assistant',
    parts: [
      { type: 'text', text: 'Let me look.' },
      { type: 'tool-call', id: 'call_1', name: 'run_query', input: { sql: 'SELECT COUNT(*) FROM orders' } },
      { type: 'tool-call', id: 'call_2', name: 'describe_dataset', input: undefined },
    ],
  },
  { role: 'tool', results: [{ type: 'tool-result', id: 'call_1', name: 'run_query', output: { rows: [[42]], columns: ['n'] } }] },
  { role: 'tool', results: [{ type: 'tool-result', id: 'call_2', name: 'describe_dataset', output: 'dataset unavailable', isError: true }] },
  { role: 'assistant', parts: [{ type: 'text', text: '' }, { type: 'tool-call', id: 'call_3', name: 'run_query', input: { sql: 'SELECT 1' } }] },
  { role: 'tool', results: [{ type: 'tool-result', id: 'call_3', name: 'run_query', output: undefined }] },
  { role: 'assistant', parts: [{ type: 'text', text: 'There are ' }, { type: 'text', text: '42.' }] },
];

const TOOLS_ON_THE_WIRE = [
  { type: 'function', function: { name: 'run_query', description: 'Run one SELECT statement.', parameters: runQuery.inputSchema } },
  { type: 'function', function: { name: 'describe_dataset', description: 'Describe the dataset.', parameters: describeDataset.inputSchema } },
];

describe('openAIChatBody', () => {
  it('a streamed first question: no system, no tools, usage asked for', () => {
    const body = openAIChatBody({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 1024 }, true);
    assert.equal(
      JSON.stringify(body),
      '{"model":"gpt-4o","max_completion_tokens":1024,"messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}',
    );
  });

  it('a tool round: system, temperature, tool_calls with JSON arguments, one tool message per result, failures wrapped in {error}', () => {
    const request: ModelCallRequest = { model: 'gpt-4o', system: 'Be brief.', messages: toolRound, tools: [runQuery, describeDataset], temperature: 0.2, maxOutputTokens: 512 };
    const body = openAIChatBody(request, false);
    assert.deepEqual(body, {
      model: 'gpt-4o',
      temperature: 0.2,
      max_completion_tokens: 512,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'How many orders?' },
        {
          role: 'assistant',
          content: 'Let me look.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'run_query', arguments: '{"sql":"SELECT COUNT(*) FROM orders"}' } },
            { id: 'call_2', type: 'function', function: { name: 'describe_dataset', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"rows":[[42]],"columns":["n"]}' },
        { role: 'tool', tool_call_id: 'call_2', content: '{"error":"dataset unavailable"}' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'run_query', arguments: '{"sql":"SELECT 1"}' } }] },
        { role: 'tool', tool_call_id: 'call_3', content: 'null' },
        { role: 'assistant', content: 'There are 42.' },
      ],
      tools: TOOLS_ON_THE_WIRE,
      tool_choice: 'auto',
    });
    assert.deepEqual(Object.keys(body), ['model', 'temperature', 'max_completion_tokens', 'messages', 'tools', 'tool_choice']);
  });

  it("Azure's SDK copy sends a failed tool's output as plain JSON", () => {
    const request: ModelCallRequest = { model: 'gpt-4o-prod', messages: toolRound, maxOutputTokens: 512 };
    const messages = openAIChatBody(request, true, 'azure').messages as Array<{ role: string; content: unknown }>;
    assert.deepEqual(
      messages.filter((m) => m.role === 'tool').map((m) => m.content),
      ['{"rows":[[42]],"columns":["n"]}', '"dataset unavailable"', 'null'],
    );
  });

  it('a tool input kept as text goes out when it is a JSON object (OpenAI), else as {}; Azure always sends {}', () => {
    const withInput = (input: unknown): ModelCallRequest => ({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }, { role: 'assistant', parts: [{ type: 'tool-call', id: 'c', name: 'run_query', input }] }],
      maxOutputTokens: 10,
    });
    const args = (input: unknown, dialect: 'openai' | 'azure') =>
      ((openAIChatBody(withInput(input), false, dialect).messages as Array<{ tool_calls?: Array<{ function: { arguments: string } }> }>)[1]?.tool_calls?.[0]?.function.arguments);
    assert.equal(args('{"sql":"SELECT 1"}', 'openai'), '{"sql":"SELECT 1"}');
    assert.equal(args('{"sql": ', 'openai'), '{}');
    assert.equal(args('[1,2]', 'openai'), '{}');
    assert.equal(args([1, 2], 'openai'), '{}');
    assert.equal(args(7, 'openai'), '{}');
    assert.equal(args(null, 'openai'), '{}');
    assert.equal(args('{"sql":"SELECT 1"}', 'azure'), '{}');
    assert.equal(args({ sql: 'SELECT 1', limit: undefined }, 'azure'), '{"sql":"SELECT 1"}');
  });

  it('reasoning models (o-series, GPT-5): the system prompt as developer, no temperature', () => {
    for (const model of ['o1', 'o3-mini', 'gpt-5', 'gpt-5.1']) {
      const body = openAIChatBody({ model, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], tools: [runQuery], temperature: 0.5, maxOutputTokens: 100 }, false);
      assert.equal(body.temperature, undefined, model);
      assert.deepEqual((body.messages as unknown[])[0], { role: 'developer', content: 'Be brief.' }, model);
      assert.equal(body.reasoning_effort, undefined, model);
    }
    const chat = openAIChatBody({ model: 'gpt-5-chat-latest', system: 'S', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.5, maxOutputTokens: 100 }, false);
    assert.equal(chat.temperature, 0.5);
    assert.deepEqual((chat.messages as unknown[])[0], { role: 'system', content: 'S' });
  });

  it('GPT-5.6 with tools: reasoning_effort "none" and the temperature kept, on OpenAI only', () => {
    const request: ModelCallRequest = { model: 'gpt-5.6', system: 'S', messages: [{ role: 'user', content: 'Hi' }], tools: [runQuery], temperature: 0.5, maxOutputTokens: 100 };
    const openai = openAIChatBody(request, false);
    assert.deepEqual(Object.keys(openai), ['model', 'temperature', 'max_completion_tokens', 'reasoning_effort', 'messages', 'tools', 'tool_choice']);
    assert.equal(openai.reasoning_effort, 'none');
    assert.equal(openai.temperature, 0.5);
    const azure = openAIChatBody(request, false, 'azure');
    assert.deepEqual(Object.keys(azure), ['model', 'max_completion_tokens', 'messages', 'tools', 'tool_choice']);
    const noTools = openAIChatBody({ ...request, tools: [] }, false);
    assert.deepEqual(Object.keys(noTools), ['model', 'max_completion_tokens', 'messages']);
  });

  it('search preview models get no temperature', () => {
    const body = openAIChatBody({ model: 'gpt-4o-search-preview', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.5, maxOutputTokens: 100 }, false);
    assert.equal(body.temperature, undefined);
  });
});

/** Pushes each `data:` payload (objects are serialised), then [DONE] unless `done` is false. */
function decode(lines: ReadonlyArray<unknown>, options: { done?: boolean; end?: boolean; decoder?: WireDecoder } = {}): { events: ModelStreamEvent[]; decoder: WireDecoder } {
  const decoder = options.decoder ?? createOpenAIChatDecoder('gpt-4o');
  const events: ModelStreamEvent[] = [];
  const emit = (event: ModelStreamEvent) => events.push(event);
  for (const line of lines) decoder.push('', typeof line === 'string' ? line : JSON.stringify(line), emit);
  if (options.done !== false) decoder.push('', '[DONE]', emit);
  if (options.end) decoder.end(emit);
  return { events, decoder };
}

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1770000000,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  usage: null,
});
const usageChunk = (usage: Record<string, unknown>) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1770000000, model: 'gpt-4o-2024-08-06', choices: [], usage });
const FIRST = chunk({ role: 'assistant', content: '', refusal: null });
const USAGE = usageChunk({ prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 });
const finish = (finishReason: string, usage = { inputTokens: 12, outputTokens: 9 }, model = 'gpt-4o'): ModelStreamEvent => ({
  type: 'finish',
  finishReason: finishReason as 'stop',
  usage,
  model,
  responseModel: 'gpt-4o-2024-08-06',
});
const callDelta = (index: number, fields: { id?: string; name?: string; args?: string }) => ({
  index,
  ...(fields.id === undefined ? {} : { id: fields.id, type: 'function' }),
  function: { ...(fields.name === undefined ? {} : { name: fields.name }), ...(fields.args === undefined ? {} : { arguments: fields.args }) },
});

describe('createOpenAIChatDecoder', () => {
  it('the recorded text stream: no empty delta, the finish with the usage chunk and the snapshot the chunks named', () => {
    const { events, decoder } = decode(fixtureLines('openai/chat-text.chunks.txt'));
    assert.equal(decoder.finished, true);
    assert.deepEqual(events.slice(0, 4), [
      { type: 'text-delta', text: '**' },
      { type: 'text-delta', text: 'Holiday' },
      { type: 'text-delta', text: ' Name' },
      { type: 'text-delta', text: ':**' },
    ]);
    const deltas = events.filter((e) => e.type === 'text-delta');
    assert.equal(deltas.length, 300);
    assert.equal(deltas.map((e) => e.text).join('').length, 1724);
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop', usage: { inputTokens: 16, outputTokens: 300 }, model: 'gpt-4o', responseModel: 'gpt-4.1-nano-2025-04-14' });
    assert.equal(events.length, 301);
  });

  it("Azure's filter fields: the leading choices:[] chunk and content_filter_results change nothing; reasoning tokens count as output", () => {
    const decoder = createOpenAIChatDecoder('chat-prod', 'Azure AI Foundry', 'azure');
    const { events } = decode(fixtureLines('azure/chat-content-filter-fields.chunks.txt'), { decoder });
    assert.deepEqual(events, [
      { type: 'text-delta', text: 'Capital' },
      { type: 'text-delta', text: ' of' },
      { type: 'text-delta', text: ' Denmark' },
      { type: 'text-delta', text: '.' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 15, outputTokens: 78 }, model: 'chat-prod', responseModel: 'gpt-5-nano-2025-08-07' },
    ]);
  });

  it("Azure's filtered output ends as a normal finish with content-filter", () => {
    const filtered = { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'content_filter', content_filter_results: { violence: { filtered: true, severity: 'medium' } } }] };
    const azureFirst = { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [] };
    const { events } = decode([azureFirst, FIRST, chunk({ content: 'Once' }), filtered, USAGE]);
    assert.deepEqual(events, [{ type: 'text-delta', text: 'Once' }, finish('content-filter')]);
  });

  it('a tool call streamed in pieces: id and name first, arguments joined, the call before the finish', () => {
    const { events } = decode([
      chunk({ role: 'assistant', content: null, tool_calls: [callDelta(0, { id: 'call_a', name: 'run_query', args: '' })], refusal: null }),
      chunk({ tool_calls: [callDelta(0, { args: '{"sql":"SEL' })] }),
      chunk({ tool_calls: [callDelta(0, { args: 'ECT 1"}' })] }),
      chunk({}, 'tool_calls'),
      USAGE,
    ]);
    assert.deepEqual(events, [{ type: 'tool-call', id: 'call_a', name: 'run_query', input: { sql: 'SELECT 1' } }, finish('tool-calls')]);
  });

  it('text, then two tool calls interleaved and started out of order: the calls by index, after the text', () => {
    const { events } = decode([
      FIRST,
      chunk({ content: 'Checking.' }),
      chunk({ tool_calls: [callDelta(1, { id: 'call_b', name: 'describe_dataset', args: '' })] }),
      chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: 'run_query', args: '{"sql":' })] }),
      chunk({ tool_calls: [callDelta(1, { args: '{}' }), callDelta(0, { args: '"SELECT 1"}' })] }),
      chunk({}, 'tool_calls'),
      USAGE,
    ]);
    assert.deepEqual(events, [
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call', id: 'call_a', name: 'run_query', input: { sql: 'SELECT 1' } },
      { type: 'tool-call', id: 'call_b', name: 'describe_dataset', input: {} },
      finish('tool-calls'),
    ]);
  });

  it('tool arguments: none is {}, unreadable stays text', () => {
    const { events } = decode([
      chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: 'describe_dataset', args: '' }), callDelta(1, { id: 'call_b', name: 'run_query', args: '{"sql": ' })] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'tool-call', id: 'call_a', name: 'describe_dataset', input: {} },
      { type: 'tool-call', id: 'call_b', name: 'run_query', input: '{"sql": ' },
    ]);
  });

  it('a call without an id, or with an id already used, gets a fresh one', () => {
    const { events } = decode([
      chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: 'run_query', args: '{}' }), callDelta(1, { id: 'call_a', name: 'run_query', args: '{}' })] }),
      chunk({ tool_calls: [callDelta(2, { name: 'run_query', args: '{}' })] }),
      chunk({}, 'tool_calls'),
    ]);
    const ids = events.flatMap((e) => (e.type === 'tool-call' ? [e.id] : []));
    assert.equal(ids[0], 'call_a');
    assert.equal(ids.length, 3);
    assert.equal(new Set(ids).size, 3);
    for (const id of ids.slice(1)) assert.match(id, /^call_[0-9a-f]{32}$/);
  });

  it('a gateway reusing index 0 for a second call (new id and name) makes two calls', () => {
    const { events } = decode([
      chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: 'run_query', args: '{"sql":"SELECT 1"}' })] }),
      chunk({ tool_calls: [callDelta(0, { id: 'call_b', name: 'describe_dataset', args: '{}' })] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'tool-call', id: 'call_a', name: 'run_query', input: { sql: 'SELECT 1' } },
      { type: 'tool-call', id: 'call_b', name: 'describe_dataset', input: {} },
    ]);
  });

  it('a call with a blank name is dropped; one with no name at all is unreadable', () => {
    const { events } = decode([chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: ' ', args: '{}' })] }), chunk({ content: 'ok' }), chunk({}, 'stop')]);
    assert.deepEqual(events.slice(0, 1), [{ type: 'text-delta', text: 'ok' }]);
    assert.throws(() => decode([chunk({ tool_calls: [callDelta(0, { id: 'call_a', args: '{}' })] })]), {
      name: 'ProviderError',
      code: 'unexpected_response',
      message: 'OpenAI answered in a way Mosaic could not read (a tool call without a name).',
    });
  });

  it('the usage chunk: prompt and completion totals, cached and reasoning tokens already inside them', () => {
    const usage = usageChunk({ prompt_tokens: 100, completion_tokens: 80, total_tokens: 180, prompt_tokens_details: { cached_tokens: 60 }, completion_tokens_details: { reasoning_tokens: 64 } });
    const { events } = decode([FIRST, chunk({ content: 'a' }), chunk({}, 'stop'), usage]);
    assert.deepEqual(events.at(-1), finish('stop', { inputTokens: 100, outputTokens: 80 }));
  });

  it('no usage chunk: zero usage', () => {
    const { events } = decode([FIRST, chunk({ content: 'a' }), chunk({}, 'stop')]);
    assert.deepEqual(events.at(-1), finish('stop', { inputTokens: 0, outputTokens: 0 }));
  });

  it('finish reasons as the SDK unified them', () => {
    const cases: Array<[string | null, boolean, string]> = [
      ['stop', false, 'stop'],
      ['stop', true, 'content-filter'],
      ['length', true, 'length'],
      ['content_filter', false, 'content-filter'],
      ['tool_calls', false, 'tool-calls'],
      ['function_call', false, 'tool-calls'],
      ['something_new', false, 'other'],
      [null, false, 'other'],
    ];
    for (const [reason, refused, expected] of cases) assert.equal(mapOpenAIChatFinishReason(reason, refused), expected, `${reason} ${refused}`);
    const { events } = decode([FIRST, chunk({ content: 'a' })]);
    assert.deepEqual(events.at(-1), finish('other', { inputTokens: 0, outputTokens: 0 }));
  });

  it("a refusal is text and ends as content-filter on OpenAI; Azure's SDK copy did not read it", () => {
    const lines = [FIRST, chunk({ refusal: "I can't help" }), chunk({ refusal: ' with that.' }), chunk({}, 'stop'), USAGE];
    assert.deepEqual(decode(lines).events, [
      { type: 'text-delta', text: "I can't help" },
      { type: 'text-delta', text: ' with that.' },
      finish('content-filter'),
    ]);
    assert.deepEqual(decode(lines, { decoder: createOpenAIChatDecoder('gpt-4o', 'Azure AI Foundry', 'azure') }).events, [finish('stop')]);
  });

  it('responseModel: the first chunk naming an id, model or time; the requested model when it names none', () => {
    const noModel = { ...FIRST, model: '' };
    const { events } = decode([noModel, chunk({ content: 'a' }), chunk({}, 'stop')]);
    assert.equal((events.at(-1) as { responseModel: string }).responseModel, 'gpt-4o');
  });

  it('an error chunk before any output is the failure OpenAI reported, with the status it stands for', () => {
    const error = { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } };
    assert.throws(
      () => decode([error], { done: false }),
      (e: unknown) => {
        assert.ok(e instanceof StreamedFailure);
        assert.deepEqual(e.failure, {
          status: 500,
          type: 'server_error',
          code: null,
          message: 'The server had an error while processing your request.',
          requestId: null,
          headers: {},
          shaped: true,
        });
        return true;
      },
    );
  });

  it('an error chunk mid-stream: the text before it was emitted; the status comes from the code or type', () => {
    const decoder = createOpenAIChatDecoder('gpt-4o');
    const events: ModelStreamEvent[] = [];
    const statusOf = (error: Record<string, unknown>) => {
      try {
        decode([{ error }], { done: false });
      } catch (e) {
        return (e as StreamedFailure).failure.status;
      }
      return 'no failure';
    };
    decoder.push('', JSON.stringify(chunk({ content: 'half' })), (e) => events.push(e));
    assert.throws(() => decoder.push('', '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}', (e) => events.push(e)), StreamedFailure);
    assert.deepEqual(events, [{ type: 'text-delta', text: 'half' }]);
    assert.equal(decoder.finished, false);
    assert.equal(statusOf({ message: 'x', type: 'requests', code: 'rate_limit_exceeded' }), 429);
    assert.equal(statusOf({ message: 'x', type: 'insufficient_quota', code: 'insufficient_quota' }), 429);
    assert.equal(statusOf({ message: 'x', code: '503' }), 503);
    assert.equal(statusOf({ message: 'x', code: 400 }), 400);
    assert.equal(statusOf({ message: 'x', type: 'invalid_request_error' }), 400);
    assert.equal(statusOf({ message: 'x', type: 'overloaded_error' }), 503);
  });

  it('unreadable data: not JSON, no choices, an error without a message, content of another type', () => {
    const cases: Array<[string, string]> = [
      ['{"id":', 'a stream event that is not JSON'],
      ['42', 'a stream event that is not an object'],
      ['{"id":"x","object":"chat.completion.chunk"}', 'a stream event without choices'],
      ['{"error":{"code":"x"}}', 'a stream event without choices'],
      [JSON.stringify(chunk({ content: 5 })), 'content that is not a string'],
    ];
    for (const [data, what] of cases) {
      assert.throws(() => decode([data], { done: false }), (e: unknown) => {
        assert.ok(e instanceof ProviderError);
        assert.equal(e.code, 'unexpected_response');
        assert.equal(e.message, `OpenAI answered in a way Mosaic could not read (${what}).`);
        return true;
      });
    }
    assert.throws(() => decode(['not json'], { done: false, decoder: createOpenAIChatDecoder('d', 'Azure AI Foundry', 'azure') }), {
      message: 'Azure AI Foundry answered in a way Mosaic could not read (a stream event that is not JSON).',
    });
  });

  it('a body ending without [DONE] after the finish_reason is complete: the calls and the finish come at the end', () => {
    const { events, decoder } = decode([chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: 'run_query', args: '{"sql":"SELECT 1"}' })] }), chunk({}, 'tool_calls')], {
      done: false,
      end: true,
    });
    assert.equal(decoder.finished, true);
    assert.deepEqual(events, [{ type: 'tool-call', id: 'call_a', name: 'run_query', input: { sql: 'SELECT 1' } }, finish('tool-calls', { inputTokens: 0, outputTokens: 0 })]);
  });

  it('a body ending without [DONE] or a finish_reason emits nothing more: the answer is incomplete', () => {
    const { events, decoder } = decode([FIRST, chunk({ content: 'Half an' }), chunk({ tool_calls: [callDelta(0, { id: 'call_a', name: 'run_query', args: '{}' })] })], { done: false, end: true });
    assert.equal(decoder.finished, false);
    assert.deepEqual(events, [{ type: 'text-delta', text: 'Half an' }]);
  });

  it('nothing is read after [DONE]', () => {
    const { events, decoder } = decode([FIRST, chunk({ content: 'a' }), chunk({}, 'stop')]);
    decoder.push('', JSON.stringify(chunk({ content: 'late' })), (e) => events.push(e));
    decoder.end((e) => events.push(e));
    assert.deepEqual(events, [{ type: 'text-delta', text: 'a' }, finish('stop', { inputTokens: 0, outputTokens: 0 })]);
  });
});
