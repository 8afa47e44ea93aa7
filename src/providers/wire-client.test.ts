// wire-client.ts over a real local HTTP server: event order with a sink that pushes back, the connection
// reused after a complete answer, a bounded error body, an answer cut short, and the iterable form.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ProviderError } from './provider-error.ts';
import type { ModelCallRequest, ModelStreamEvent } from './provider.ts';
import { anthropicSse, fixtureLines, startTestUpstream, type TestUpstream } from './provider-test-server.ts';
import { createGuardedUpstream } from './ssrf-guard.ts';
import { createWireStreamer, type WireStreamer } from './wire-client.ts';
import { createAnthropicDecoder } from './anthropic/anthropic-wire.ts';

const textLines = fixtureLines('anthropic/text.chunks.txt');
const fullAnswer = anthropicSse(textLines);
let reply: (res: import('node:http').ServerResponse) => void = () => {};
let upstream: TestUpstream;

before(async () => {
  upstream = await startTestUpstream((_request, res) => reply(res));
});
after(() => upstream.close());

function streamer(overrides: { retry?: { maxRetries: number; baseDelayMs?: number; maxDelayMs?: number } } = {}): WireStreamer {
  const guarded = createGuardedUpstream({ allowPrivate: true });
  return createWireStreamer({
    providerName: 'Anthropic',
    apiKey: 'sk-ant-test',
    call: () => ({ url: `${upstream.url}/v1/messages`, headers: { 'content-type': 'application/json' }, body: '{}', decoder: createAnthropicDecoder('claude-sonnet-4-5') }),
    mapFailure: (failure) => ({ code: failure.status === 429 ? 'rate_limited' : 'provider_error', message: `mapped ${failure.status} ${failure.message}` }),
    dispatch: guarded.dispatch,
    timeouts: { connectMs: 2000, firstByteMs: 2000, totalMs: 5000 },
    retry: overrides.retry ?? { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
  });
}

const request: ModelCallRequest = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 64 };
const expectedText = textLines
  .map((line) => JSON.parse(line) as { delta?: { text?: string } })
  .map((event) => event.delta?.text ?? '')
  .join('');

test('a sink that pushes back gets every event in order, the next only after its promise settles', async () => {
  reply = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(fullAnswer); // one read holds every event
  };
  const seen: string[] = [];
  let inFlight = 0;
  await streamer().streamTo(request, async (event) => {
    inFlight++;
    assert.equal(inFlight, 1, 'no event reaches the sink while it is still busy with the previous one');
    await new Promise((resolve) => setTimeout(resolve, 1));
    seen.push(event.type === 'text-delta' ? event.text : `<${event.type}>`);
    inFlight--;
  });
  assert.equal(seen.at(-1), '<finish>');
  assert.equal(seen.slice(0, -1).join(''), expectedText);
});

test('after a complete answer the connection is kept for the next call', async () => {
  reply = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(fullAnswer);
  };
  const client = streamer();
  const before = upstream.closedSockets();
  for (let i = 0; i < 3; i++) await client.streamTo(request, () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(upstream.closedSockets(), before, 'no socket was closed between calls');
});

test('an error answer is read up to 64 KiB only: a body that never ends does not hold the call', async () => {
  reply = (res) => {
    res.writeHead(429, { 'content-type': 'application/json' });
    res.write(`{"type":"error","error":{"type":"rate_limit_error","message":"${'x'.repeat(100 * 1024)}`); // … and never ends
  };
  const started = performance.now();
  await assert.rejects(streamer({ retry: { maxRetries: 0 } }).streamTo(request, () => undefined), (error: unknown) => {
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, 'rate_limited', 'mapped from the status, not a timeout');
    assert.equal(error.status, 429);
    return true;
  });
  assert.ok(performance.now() - started < 2000, 'well before the 5 s total clock');
});

test('an answer that ends before its finish is unexpected_response, retried only while nothing was relayed', async () => {
  let calls = 0;
  reply = (res) => {
    calls++;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(anthropicSse(textLines.slice(0, 5))); // message_start … some text, no message_stop
  };
  const relayed: ModelStreamEvent[] = [];
  await assert.rejects(
    streamer().streamTo(request, (event) => {
      relayed.push(event);
    }),
    (error: unknown) => error instanceof ProviderError && error.code === 'unexpected_response',
  );
  assert.equal(calls, 1, 'text had reached the sink: no retry');
  assert.ok(relayed.some((e) => e.type === 'text-delta'));

  calls = 0;
  reply = (res) => {
    calls++;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(calls < 3 ? anthropicSse(textLines.slice(0, 1)) : fullAnswer); // message_start only, twice
  };
  const events: ModelStreamEvent[] = [];
  await streamer().streamTo(request, (event) => {
    events.push(event);
  });
  assert.equal(calls, 3, 'nothing had been relayed: retried');
  assert.equal(events.at(-1)?.type, 'finish');
});

test('the iterable form gives the same events, and stopping early ends the upstream request', async () => {
  reply = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(fullAnswer);
  };
  const events: ModelStreamEvent[] = [];
  for await (const event of streamer().stream(request)) events.push(event);
  assert.equal(events.map((e) => (e.type === 'text-delta' ? e.text : '')).join(''), expectedText);

  let closed!: () => void;
  const socketClosed = new Promise<void>((resolve) => (closed = resolve));
  reply = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(anthropicSse(textLines.slice(0, 4))); // … and never ends
    res.on('close', () => closed());
  };
  for await (const event of streamer().stream(request)) {
    if (event.type === 'text-delta') break;
  }
  await socketClosed;
});

test("a provider's error event mid-stream is mapped, named by the response's request id", async () => {
  reply = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_011CWire' });
    res.end(`${anthropicSse(textLines.slice(0, 4))}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`);
  };
  await assert.rejects(streamer().streamTo(request, () => undefined), (error: unknown) => {
    assert.ok(error instanceof ProviderError);
    assert.equal(error.requestId, 'req_011CWire');
    assert.match(error.message, /Overloaded/);
    return true;
  });
});

test('a web page or a whole JSON answer where the stream belongs is unexpected_response at once, not retried', async () => {
  for (const type of ['text/html; charset=utf-8', 'application/json']) {
    let calls = 0;
    reply = (res) => {
      calls++;
      res.writeHead(200, { 'content-type': type });
      res.end(type.includes('html') ? '<html><body>Sign in to continue</body></html>' : '{"type":"message","content":[]}');
    };
    await assert.rejects(streamer().streamTo(request, () => undefined), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'unexpected_response');
      assert.match(error.message, /not an event stream/);
      return true;
    });
    assert.equal(calls, 1, type);
  }
});

test("the sink's own failure comes out as it is: not the provider's error, not retried, the request ended", async () => {
  // E.g. the client's socket or the message store failing while the answer streams in: that is Mosaic's
  // failure, and mapping it to unexpected_response ("check the base URL") would blame the provider.
  for (const way of ['throws', 'rejects'] as const) {
    let calls = 0;
    let closed!: () => void;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    reply = (res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(anthropicSse(textLines.slice(0, 4))); // … and never ends
      res.on('close', () => closed());
    };
    const ours = new Error(`the store is gone (${way})`);
    await assert.rejects(
      streamer().streamTo(request, (event) => {
        if (event.type !== 'text-delta') return undefined;
        if (way === 'throws') throw ours;
        return Promise.reject(ours);
      }),
      (error: unknown) => error === ours,
    );
    assert.equal(calls, 1, `${way}: no retry`);
    await socketClosed;
  }
});
