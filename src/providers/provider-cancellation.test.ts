// The caller's AbortSignal and our clocks reach the upstream socket.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import { ProviderError } from './provider-error.ts';
import { anthropicSse, fixtureLines, startTestUpstream, type TestUpstream } from './provider-test-server.ts';

let upstream: TestUpstream;
let behave: (res: ServerResponse) => void;
let closed: Promise<void>;
let onClosed: () => void;

before(async () => {
  upstream = await startTestUpstream((_req, res, req) => {
    req.socket.once('close', () => onClosed());
    behave(res);
  });
});
after(() => upstream.close());

function expectClose(): void {
  closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
}

/** Headers and the first text delta, then nothing: a model that is still thinking. */
function startThenStall(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(anthropicSse(fixtureLines('anthropic/text.chunks.txt').slice(0, 4)));
}

const env = (extra: Partial<ProviderEnv> = {}): ProviderEnv => ({ allowPrivateUpstreams: true, anthropicBaseUrl: null, openaiBaseUrl: null, maxRetries: 2, ...extra });
const client = (extra: Partial<ProviderEnv> = {}) =>
  createProviderClient({ kind: 'anthropic', apiKey: new Secret('sk-ant-api03-k'), baseUrl: upstream.url, azure: null }, env(extra));
const request = (signal?: AbortSignal) => ({ model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], maxOutputTokens: 10, ...(signal ? { signal } : {}) });

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
}

describe('cancellation', () => {
  it("aborting the caller's signal mid-stream closes the upstream socket at once", async () => {
    behave = startThenStall;
    expectClose();
    const controller = new AbortController();
    const reason = new Error('user closed the browser');
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of client().stream(request(controller.signal))) {
          if (event.type === 'text-delta') {
            seen.push(event.text);
            controller.abort(reason);
          }
        }
      })(),
      (e: unknown) => e === reason,
    );
    assert.deepEqual(seen, ['Hello']);
    await within(2000, closed, 'upstream close');
    assert.equal(upstream.requests.length, 1);
  });

  it('a caller that stops reading (break) also closes the upstream socket', async () => {
    behave = startThenStall;
    expectClose();
    for await (const event of client().stream(request())) {
      if (event.type === 'text-delta') break;
    }
    await within(2000, closed, 'upstream close');
  });

  it('aborting generate() before the answer closes the socket', async () => {
    behave = () => {};
    expectClose();
    const controller = new AbortController();
    const pending = client().generate(request(controller.signal));
    setTimeout(() => controller.abort(new Error('gone')), 50);
    await assert.rejects(pending, /gone/);
    await within(2000, closed, 'upstream close');
  });
});

describe('timeouts', () => {
  it('a slow first byte → timeout, not retried', async () => {
    behave = () => {};
    upstream.requests.length = 0;
    const started = Date.now();
    await assert.rejects(client({ timeouts: { firstByteMs: 200 } }).generate(request()), (e: unknown) => e instanceof ProviderError && e.code === 'timeout' && /start answering/.test(e.message));
    assert.ok(Date.now() - started < 2000);
    assert.equal(upstream.requests.length, 1);
  });

  it('a stream that stalls after it started → timeout at the total limit', async () => {
    behave = startThenStall;
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of client({ timeouts: { totalMs: 300 } }).stream(request())) if (e.type === 'text-delta') seen.push(e.text);
      })(),
      (e: unknown) => e instanceof ProviderError && e.code === 'timeout' && /finish answering/.test(e.message),
    );
    assert.deepEqual(seen, ['Hello']);
  });
});
