// The simulator as a server: lifecycle, the request log, pacing and the fault triggers (key, model,
// header, directive) over real sockets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { ManualClock } from '../src/clock.ts';
import { startSimulator } from './simulator.ts';
import type { Simulator } from './simulator.ts';
import { parseSse } from './sim-test-support.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ clock: new ManualClock('2026-01-15T12:00:00.000Z') });
});
after(() => sim.close());

function chat(body: Record<string, unknown>, init: { headers?: Record<string, string>; signal?: AbortSignal; key?: string } = {}): Promise<Response> {
  return fetch(`${sim.openai.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${init.key ?? sim.openai.apiKey}`, 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], ...body }),
    signal: init.signal,
  });
}

describe('configuration', () => {
  test('default keys have the real shapes; base URLs follow the SDK conventions', () => {
    assert.match(sim.anthropic.apiKey, /^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/);
    assert.equal(sim.anthropic.apiKey.length, 108);
    assert.match(sim.openai.apiKey, /^sk-proj-[A-Za-z0-9_-]+$/);
    assert.match(sim.azure.apiKey, /^[0-9a-f]{32}$/);
    assert.match(sim.anthropic.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sim.openai.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.match(sim.azure.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(sim.azure.deployments.map((d) => `${d.name}:${d.apiStyle}:${d.model}`), [
      'gpt-4o-prod:openai:gpt-4o',
      'gpt-4o-mini-fast:openai:gpt-4o-mini',
      'claude-sonnet:anthropic:claude-sonnet-4-5-20250929',
      'claude-haiku:anthropic:claude-haiku-4-5-20251001',
    ]);
  });

  test('configured keys replace the defaults; the clock dates the answers', async () => {
    const custom = await startSimulator({ keys: { openai: 'sk-proj-custom' }, clock: new ManualClock('2030-01-01T00:00:00Z') });
    try {
      const client = new OpenAI({ baseURL: custom.openai.baseUrl, apiKey: 'sk-proj-custom', maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(completion.created, Date.parse('2030-01-01T00:00:00Z') / 1000);
      const old = await new OpenAI({ baseURL: custom.openai.baseUrl, apiKey: sim.openai.apiKey, maxRetries: 0 }).models.list().catch((e: unknown) => e);
      assert.ok(old instanceof OpenAI.AuthenticationError);
    } finally {
      await custom.close();
    }
  });
});

describe('fault triggers', () => {
  test('a fault key authenticates, then fails every request its way', async () => {
    const response = await chat({}, { key: sim.faultKey('openai', '529') });
    assert.equal(response.status, 503);
    const printed = await chat({}, { key: sim.faultKey('openai', 'quota') });
    assert.equal(printed.status, 429);
    assert.equal(((await printed.json()) as { error: { code: string } }).error.code, 'insufficient_quota');
    const custom = await startSimulator({ faultKeys: { anthropic: { 'sk-ant-api03-my-fault-key': '500' } } });
    try {
      const r = await fetch(`${custom.anthropic.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'sk-ant-api03-my-fault-key', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-haiku-4-5-20251001', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      });
      assert.equal(r.status, 500);
    } finally {
      await custom.close();
    }
  });

  test('a model suffix and a header trigger faults; an unknown fault is a clear 400', async () => {
    assert.equal((await chat({ model: 'gpt-4o-sim-500' })).status, 500);
    assert.equal((await chat({}, { headers: { 'x-sim-fault': '403' } })).status, 403);
    const bad = await chat({ messages: [{ role: 'user', content: '[[sim:explode]]' }] });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /unknown or ill-formed fault 'explode'/);
    assert.deepEqual(sim.requests.last('openai')?.faults, []);
    await chat({}, { headers: { 'x-sim-fault': 'tps:1000, 429:5' } });
    assert.deepEqual(sim.requests.last('openai')?.faults, ['tps:1000', '429:5']);
  });
});

describe('timing', () => {
  test('tps paces the chunks; slow-first-byte delays the status line', async () => {
    let started = Date.now();
    const paced = await chat({ stream: true, messages: [{ role: 'user', content: 'x [[sim:tps:100]] [[sim:words:20]]' }] });
    const events = parseSse(await paced.text());
    const elapsed = Date.now() - started;
    assert.equal(events.filter((e) => e.data.includes('"content":"') && !e.data.includes('"content":""')).length, 20);
    assert.ok(elapsed >= 180, `20 chunks at 100/s take ~190 ms, took ${elapsed}`);
    started = Date.now();
    const slow = await chat({}, { headers: { 'x-sim-fault': 'slow-first-byte:150' } });
    assert.ok(Date.now() - started >= 145);
    assert.equal(slow.status, 200);
  });

  test('a client that goes away mid-stream is seen as aborted and the stream stops', async () => {
    const controller = new AbortController();
    const response = await chat({ stream: true, messages: [{ role: 'user', content: 'x [[sim:tps:20]] [[sim:words:200]]' }] }, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    const entry = sim.requests.last('openai');
    assert.equal(await entry?.done, 'aborted-by-client');
    assert.ok(entry?.closedAt instanceof Date);
  });

  test('close() ends hanging requests at once and leaves nothing listening', async () => {
    const local = await startSimulator();
    const pending = fetch(`${local.openai.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.openai.apiKey}`, 'x-sim-fault': 'hang' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    }).catch((e: unknown) => e);
    const entry = await local.requests.waitFor((r) => r.provider === 'openai');
    const started = Date.now();
    await local.close();
    assert.ok(Date.now() - started < 1000);
    assert.ok((await pending) instanceof Error, 'the hanging client sees the connection close');
    assert.equal(await entry.done, 'closed-by-sim');
    const after = await fetch(`${local.openai.baseUrl}/models`).catch((e: unknown) => e);
    assert.ok(after instanceof Error, 'nothing listens after close()');
  });
});
