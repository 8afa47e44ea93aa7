// The simulated OpenAI API, proven with the official client (openai) and against the recorded chunks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startSimulator } from './simulator.ts';
import type { Simulator } from './simulator.ts';
import { fixtureChunks, fixtureJson, keysOf, parseSse } from './sim-test-support.ts';

const RUN_QUERY: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'run_query', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' }, dry: { type: 'boolean' } }, required: ['sql', 'dry'] } },
};

let sim: Simulator;
let client: OpenAI;
before(async () => {
  sim = await startSimulator();
  client = new OpenAI({ baseURL: sim.openai.baseUrl, apiKey: sim.openai.apiKey, maxRetries: 0 });
});
after(() => sim.close());

async function rawChat(body: Record<string, unknown>): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${sim.openai.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.openai.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], ...body }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('chat completions: text', () => {
  test('a non-stream answer has the recorded shape, usage and headers', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Revenue by month?' }];
    const { data: completion, response } = await client.chat.completions.create({ model: 'gpt-4o', messages, max_completion_tokens: 100 }).withResponse();
    const recorded = fixtureJson('openai/chat-text.json') as { choices: Array<{ message: unknown }>; usage: { prompt_tokens_details: unknown; completion_tokens_details: unknown } };
    assert.deepEqual(keysOf(completion), keysOf(recorded));
    assert.deepEqual(keysOf(completion.choices[0]), keysOf(recorded.choices[0]));
    assert.deepEqual(keysOf(completion.choices[0]?.message), keysOf(recorded.choices[0]?.message));
    assert.deepEqual(keysOf(completion.usage?.completion_tokens_details), keysOf(recorded.usage.completion_tokens_details));
    assert.equal(completion.object, 'chat.completion');
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.equal(completion.choices[0]?.message.content, 'Simulated answer: you asked "Revenue by month?". The quick brown fox jumps over the lazy dog.');
    assert.equal(completion.usage?.prompt_tokens, Math.ceil(Buffer.byteLength(JSON.stringify(messages)) / 4));
    assert.equal(completion.usage?.completion_tokens, 16);
    assert.equal(completion.usage?.total_tokens, (completion.usage?.prompt_tokens ?? 0) + 16);
    assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    assert.ok(response.headers.get('openai-processing-ms'));
    assert.ok(response.headers.get('x-ratelimit-remaining-requests'));
    assert.equal((sim.requests.last('openai')?.body as { max_completion_tokens?: number }).max_completion_tokens, 100);
  });

  test('the stream with include_usage has the recorded chunk shapes, ending with a usage chunk and [DONE]', async () => {
    const { status, text, headers } = await rawChat({ stream: true, stream_options: { include_usage: true } });
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = parseSse(text);
    assert.ok(events.every((e) => e.event === null), 'data: lines only');
    assert.equal(events.at(-1)?.data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as Record<string, unknown> & { choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }> });
    const recorded = fixtureChunks('openai/chat-text.chunks.txt') as typeof chunks;
    for (const chunk of chunks) assert.deepEqual(keysOf(chunk), keysOf(recorded[0]));
    assert.deepEqual(chunks[0]?.choices[0]?.delta, recorded[0]?.choices[0]?.delta, 'first delta: role, empty content, refusal null');
    assert.deepEqual(keysOf(chunks[1]?.choices[0]), keysOf(recorded[1]?.choices[0]));
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'usage: null on every chunk but the last');
    const finish = chunks.at(-2);
    assert.deepEqual(finish?.choices[0]?.delta, {});
    assert.equal(finish?.choices[0]?.finish_reason, 'stop');
    const usageChunk = chunks.at(-1) as { choices: unknown[]; usage: Record<string, unknown> };
    assert.deepEqual(usageChunk.choices, []);
    assert.deepEqual(keysOf(usageChunk.usage), keysOf(recorded.at(-1)?.usage));
    assert.deepEqual(keysOf(usageChunk.usage.completion_tokens_details), keysOf((recorded.at(-1)?.usage as Record<string, unknown>).completion_tokens_details));

    const withoutUsage = parseSse((await rawChat({ stream: true })).text).slice(0, -1).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    assert.ok(withoutUsage.every((c) => !('usage' in c)), 'no usage key unless asked for');
  });

  test('the SDK stream gives the same text as the non-stream answer, and the usage chunk', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Best products?' }];
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    assert.equal(text, plain.choices[0]?.message.content);
    assert.deepEqual(usage, plain.usage);
  });

  test('max_completion_tokens cuts the answer with finish_reason length', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Everything' }], max_completion_tokens: 4 });
    assert.equal(completion.choices[0]?.finish_reason, 'length');
    assert.equal(completion.usage?.completion_tokens, 4);
  });
});

describe('chat completions: tools', () => {
  test('the first offered tool is called (streamed in argument fragments), then the result is summarised', async () => {
    const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Count orders' };
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [question], tools: [RUN_QUERY], stream: true });
    let id = '';
    let name = '';
    let args = '';
    let fragments = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.id) id = call.id;
      if (call?.function?.name) name = call.function.name;
      if (call?.function?.arguments) {
        args += call.function.arguments;
        fragments += 1;
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.match(id, /^call_/);
    assert.equal(name, 'run_query');
    assert.ok(fragments > 1);
    assert.deepEqual(JSON.parse(args), { sql: 'SELECT COUNT(*) AS n FROM orders', dry: true });
    assert.equal(finish, 'tool_calls');

    const plain = await client.chat.completions.create({ model: 'gpt-4o', messages: [question], tools: [RUN_QUERY] });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    assert.equal(plain.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(plain.choices[0]?.message.content, null);
    assert.ok(call?.type === 'function');
    const answer = await client.chat.completions.create({
      model: 'gpt-4o',
      tools: [RUN_QUERY],
      messages: [question, plain.choices[0]?.message as OpenAI.ChatCompletionMessageParam, { role: 'tool', tool_call_id: call.id, content: '{"n": 12}' }],
    });
    assert.equal(answer.choices[0]?.message.content, 'I looked at the data (run_query): {"n": 12}. The quick brown fox jumps over the lazy dog.');
    const none = await client.chat.completions.create({ model: 'gpt-4o', messages: [question], tools: [RUN_QUERY], tool_choice: 'none' });
    assert.equal(none.choices[0]?.finish_reason, 'stop');
  });
});

describe('reasoning models', () => {
  test('max_tokens is refused with the recorded 400; a tiny max_completion_tokens gives empty text, still 200', async () => {
    const refused = await client.chat.completions.create({ model: 'o1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }).catch((e: unknown) => e);
    assert.ok(refused instanceof OpenAI.BadRequestError);
    assert.deepEqual(refused.error, fixtureJson('openai/error-unsupported-parameter.json').error);

    const tiny = await client.chat.completions.create({ model: 'o3-mini', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 16 });
    assert.equal(tiny.choices[0]?.message.content, '');
    assert.equal(tiny.choices[0]?.finish_reason, 'length');
    assert.equal(tiny.usage?.completion_tokens, 16);
    assert.equal(tiny.usage?.completion_tokens_details?.reasoning_tokens, 16);
    const roomy = await client.chat.completions.create({ model: 'o1', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 500 });
    assert.match(roomy.choices[0]?.message.content ?? '', /^Simulated answer/);
  });
});

describe('models and errors', () => {
  test('GET /v1/models lists the known models in the real shape', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      assert.equal(typeof model.created, 'number');
      ids.push(model.id);
    }
    assert.deepEqual(ids, ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o1', 'o3-mini', 'gpt-4-turbo']);
  });

  test('a wrong key is the real 401, its message showing only a masked key', async () => {
    const wrongKey = `sk-proj-${'x'.repeat(40)}WXYZ`;
    const wrong = new OpenAI({ baseURL: sim.openai.baseUrl, apiKey: wrongKey, maxRetries: 0 });
    const error = await wrong.models.list().catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.code, 'invalid_api_key');
    assert.match(error.message, /Incorrect API key provided: sk-proj-\*+WXYZ/);
    assert.ok(!error.message.includes(wrongKey));
  });

  test('each fault raises the typed SDK error with the real body', async () => {
    const cases: Array<[string, new (...args: never[]) => Error, number, string | null]> = [
      ['401', OpenAI.AuthenticationError, 401, 'invalid_api_key'],
      ['403', OpenAI.PermissionDeniedError, 403, null],
      ['404-model', OpenAI.NotFoundError, 404, 'model_not_found'],
      ['429', OpenAI.RateLimitError, 429, 'rate_limit_exceeded'],
      ['quota', OpenAI.RateLimitError, 429, 'insufficient_quota'],
      ['500', OpenAI.InternalServerError, 500, null],
      ['529', OpenAI.InternalServerError, 503, null],
    ];
    for (const [fault, type, status, code] of cases) {
      const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `x [[sim:${fault}]]` }] }).catch((e: unknown) => e);
      assert.ok(error instanceof type, `${fault} → ${type.name}`);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      assert.equal(apiError.status, status);
      assert.equal(apiError.code ?? null, code);
      assert.deepEqual(keysOf(apiError.error), ['code', 'message', 'param', 'type']);
    }
    const quota = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x [[sim:quota]]' }] }).catch((e: unknown) => e);
    assert.deepEqual((quota as InstanceType<typeof OpenAI.APIError>).error, fixtureJson('openai/error-insufficient-quota.json').error);
    const unknown = await client.chat.completions.create({ model: 'gpt-7', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(unknown instanceof OpenAI.NotFoundError);
  });

  test('429 sends retry-after and retry-after-ms; 429-once is retried by the SDK and succeeds', async () => {
    const limited = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x [[sim:429:250]]' }] }).catch((e: unknown) => e);
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.equal(limited.headers?.get('retry-after'), '1');
    assert.equal(limited.headers?.get('retry-after-ms'), '250');
    const retrying = new OpenAI({ baseURL: sim.openai.baseUrl, apiKey: sim.openai.apiKey, maxRetries: 2 });
    const ok = await retrying.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'again [[sim:429-once:o1:10]]' }] });
    assert.equal(ok.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(
      sim.requests.byProvider('openai').filter((r) => String(JSON.stringify(r.body)).includes('429-once:o1')).map((r) => r.status),
      [429, 200],
    );
  });

  test('error-mid-stream: text, then a data: {"error"} line the SDK raises', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x [[sim:error-mid-stream]]' }], stream: true });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.APIError);
    assert.ok(text.length > 0);
  });
});
