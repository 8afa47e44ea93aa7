// The simulated Azure AI Foundry resource, proven with AzureOpenAI, the OpenAI client on the v1 path,
// the Anthropic client on /anthropic, and against the recorded Azure stream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { AzureOpenAI } from 'openai';
import { startSimulator } from './simulator.ts';
import type { Simulator } from './simulator.ts';
import { fixtureChunks, keysOf, parseSse } from './sim-test-support.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(() => sim.close());

const azure = (deployment?: string) => new AzureOpenAI({ endpoint: sim.azure.endpoint, apiKey: sim.azure.apiKey, apiVersion: '2024-10-21', maxRetries: 0, ...(deployment ? { deployment } : {}) });
const v1 = () => new OpenAI({ baseURL: `${sim.azure.endpoint}/openai/v1`, apiKey: 'unused', defaultHeaders: { 'api-key': sim.azure.apiKey }, maxRetries: 0 });

async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = { 'api-key': sim.azure.apiKey }): Promise<{ status: number; text: string }> {
  const response = await fetch(`${sim.azure.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

describe('OpenAI-style deployments', () => {
  test('the classic deployments path answers AzureOpenAI with the deployment model, the key in api-key', async () => {
    const completion = await azure('gpt-4o-prod').chat.completions.create({ model: '', messages: [{ role: 'user', content: 'Sales by region?' }] });
    assert.equal(completion.model, 'gpt-4o');
    assert.match(completion.choices[0]?.message.content ?? '', /^Simulated answer: you asked "Sales by region\?"/);
    const logged = sim.requests.last('azure');
    assert.equal(logged?.path, '/openai/deployments/gpt-4o-prod/chat/completions');
    assert.equal(logged?.query['api-version'], '2024-10-21');
    assert.equal(logged?.headers['api-key'], sim.azure.apiKey);
    const prompt = (completion as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results;
    assert.equal(prompt.length, 1);
  });

  test('the stream starts with the prompt_filter_results chunk and carries content_filter_results, as recorded', async () => {
    const { status, text } = await post('/openai/deployments/gpt-4o-mini-fast/chat/completions?api-version=2024-10-21', {
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(status, 200);
    const events = parseSse(text);
    assert.equal(events.at(-1)?.data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    const recorded = fixtureChunks('azure/chat-content-filter-fields.chunks.txt');
    assert.deepEqual(chunks[0], recorded[0], 'leading chunk: choices [], id "", prompt_filter_results');
    assert.equal(chunks.length > 4, true);
    for (let i = 1; i < chunks.length; i += 1) {
      const reference = i === 1 ? recorded[1] : i === chunks.length - 1 ? recorded.at(-1) : i === chunks.length - 2 ? recorded.at(-2) : recorded[2];
      assert.deepEqual(keysOf(chunks[i]), keysOf(reference), `chunk ${i} keys`);
      const choice = (chunks[i]?.choices as Array<Record<string, unknown>>)[0];
      const recordedChoice = (reference?.choices as Array<Record<string, unknown>>)[0];
      if (recordedChoice) assert.deepEqual(keysOf(choice), keysOf(recordedChoice));
      if (recordedChoice) assert.deepEqual(keysOf(choice?.content_filter_results), keysOf(recordedChoice.content_filter_results));
    }
    assert.deepEqual((chunks[1]?.choices as Array<{ delta: unknown }>)[0]?.delta, { content: '', refusal: null, role: 'assistant' });
    assert.deepEqual(keysOf(chunks.at(-1)?.usage), keysOf(recorded.at(-1)?.usage));
  });

  test('the v1 path (model = deployment) and the Foundry models path answer; GET /openai/v1/models lists', async () => {
    const client = v1();
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini-fast', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.model, 'gpt-4o-mini');
    assert.equal(sim.requests.last('azure')?.path, '/openai/v1/chat/completions');
    const stream = await client.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let total = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      total = chunk.usage?.total_tokens ?? total;
    }
    assert.match(text, /^Simulated answer/);
    assert.ok(total > 0);
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ['gpt-4o', 'gpt-4o-mini']);

    const foundry = await post('/models/chat/completions?api-version=2024-05-01-preview', { model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(foundry.status, 200);
    assert.equal((JSON.parse(foundry.text) as { object: string }).object, 'chat.completion');
  });

  test('tools work on Azure as on OpenAI', async () => {
    const completion = await v1().chat.completions.create({
      model: 'gpt-4o-prod',
      messages: [{ role: 'user', content: 'count' }],
      tools: [{ type: 'function', function: { name: 'describe_dataset', parameters: { type: 'object', properties: {} } } }],
    });
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(completion.choices[0]?.message.tool_calls?.[0]?.type === 'function' && completion.choices[0].message.tool_calls[0].function.name, 'describe_dataset');
  });
});

describe('Claude on Foundry', () => {
  test('the Anthropic client talks to /anthropic with the Azure key, by x-api-key or api-key', async () => {
    const client = new Anthropic({ baseURL: `${sim.azure.endpoint}/anthropic`, apiKey: sim.azure.apiKey, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.model, 'claude-sonnet');
    assert.equal(message.stop_reason, 'end_turn');
    const streamed = await client.messages.stream({ model: 'claude-haiku', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.deepEqual(streamed.content, message.content);
    const viaHeader = await post('/anthropic/v1/messages', { model: 'claude-haiku', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { 'api-key': sim.azure.apiKey, 'anthropic-version': '2023-06-01' });
    assert.equal(viaHeader.status, 200);
    const wrongStyle = await client.messages.create({ model: 'gpt-4o-prod', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    assert.ok(wrongStyle instanceof Anthropic.NotFoundError, 'an OpenAI-style deployment is not served on /anthropic');
  });
});

describe('errors', () => {
  test('a wrong key gets Azure 401 body on every path', async () => {
    const body401 = { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } };
    for (const path of ['/openai/v1/chat/completions', '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21', '/anthropic/v1/messages']) {
      const response = await post(path, { model: 'gpt-4o-prod', messages: [] }, { 'api-key': '0'.repeat(32) });
      assert.equal(response.status, 401, path);
      assert.deepEqual(JSON.parse(response.text), body401);
    }
    const error = await new AzureOpenAI({ endpoint: sim.azure.endpoint, apiKey: 'f'.repeat(32), apiVersion: '2024-10-21', deployment: 'gpt-4o-prod', maxRetries: 0 })
      .chat.completions.create({ model: '', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.AuthenticationError);
  });

  test('an unknown deployment is DeploymentNotFound; a missing api-version on the classic path is a 400', async () => {
    const error = await azure('nope').chat.completions.create({ model: '', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.equal(error.code, 'DeploymentNotFound');
    const missing = await post('/openai/deployments/gpt-4o-prod/chat/completions', { messages: [{ role: 'user', content: 'x' }] });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /api-version/);
  });

  test('content-filter: 400 with innererror; content-filter-output: 200 stream ending finish_reason content_filter', async () => {
    const blocked = await v1().chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x [[sim:content-filter]]' }] }).catch((e: unknown) => e);
    assert.ok(blocked instanceof OpenAI.BadRequestError);
    assert.equal(blocked.code, 'content_filter');
    assert.equal(blocked.param, 'prompt');
    assert.equal((blocked.error as { innererror: { code: string } }).innererror.code, 'ResponsibleAIPolicyViolation');

    const stream = await v1().chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'tell me [[sim:content-filter-output]]' }], stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(finish, 'content_filter');
    assert.ok(text.length > 0 && !text.endsWith('lazy dog.'), 'part of the answer came before the filter');
  });

  test('a 429 on Azure carries retry-after and the Azure body', async () => {
    const error = await v1().chat.completions.create({ model: 'gpt-4o-prod-sim-429', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.equal(error.headers?.get('retry-after'), '1');
    assert.equal(error.code, '429');
  });
});
