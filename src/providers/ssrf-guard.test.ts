import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { createProviderClient } from './create-provider-client.ts';
import { ProviderError } from './provider-error.ts';
import { toProviderError } from './upstream-failure.ts';
import { sendJson, startTestUpstream, type TestUpstream } from './provider-test-server.ts';
import { assertUrlAllowed, createGuardedFetch, createGuardedUpstream, isPublicAddress, type GuardedUpstream } from './ssrf-guard.ts';

let upstream: TestUpstream;
let port: string;
before(async () => {
  upstream = await startTestUpstream((_req, res) => sendJson(res, 200, { ok: true }));
  port = new URL(upstream.url).port;
});
after(() => upstream.close());

async function refusal(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(error instanceof ProviderError, `expected ProviderError, got ${String(error)}`);
  return error;
}

describe('isPublicAddress', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast, and their IPv6 and IPv4-mapped forms', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '[::1]']) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
    for (const ip of ['1.1.1.1', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(isPublicAddress(ip), true, ip);
    }
  });
});

describe('assertUrlAllowed (save time)', () => {
  it('refuses http:, loopback names and private literals unless private upstreams are allowed', () => {
    for (const url of ['http://api.example.com', 'https://localhost/v1', 'https://127.0.0.1', 'https://[::1]/', 'https://169.254.169.254/latest', 'https://10.0.0.5', 'https://[::ffff:127.0.0.1]']) {
      assert.throws(() => assertUrlAllowed(url, { allowPrivate: false }), (e: unknown) => e instanceof ProviderError && e.code === 'upstream_not_allowed', url);
      assert.doesNotThrow(() => assertUrlAllowed(url, { allowPrivate: true }), url);
    }
    assert.doesNotThrow(() => assertUrlAllowed('https://api.anthropic.com', { allowPrivate: false }));
  });

  it('refuses unparseable URLs, other schemes and credentials in the URL, even when private is allowed', () => {
    for (const url of ['not a url', 'ftp://example.com', 'file:///etc/passwd', 'https://user:pw@example.com']) {
      assert.throws(() => assertUrlAllowed(url, { allowPrivate: true }), (e: unknown) => e instanceof ProviderError && e.code === 'bad_endpoint', url);
    }
  });
});

describe('createGuardedFetch (connection time)', () => {
  const guarded = createGuardedFetch({ allowPrivate: false, connectTimeoutMs: 2000 });

  it('refuses every non-public address literal before connecting', async () => {
    for (const host of ['127.0.0.1', '10.0.0.1', '192.168.0.1', '172.16.0.1', '169.254.169.254', '[::1]', '[fe80::1]', '[::ffff:127.0.0.1]']) {
      const error = await refusal(guarded(`https://${host}:${port}/v1/models`));
      assert.equal(error.code, 'upstream_not_allowed', host);
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('refuses a host name that resolves to loopback (localhost), judged by the lookup at connect time', async () => {
    const error = await refusal(guarded(`https://localhost:${port}/`));
    assert.equal(error.code, 'upstream_not_allowed');
    assert.match(error.message, /resolves to (127\.0\.0\.1|::1)/);
  });

  it('catches a DNS answer that changes after validation (rebinding)', async () => {
    // The name passes save-time validation (names are not resolved then); at the call, DNS answers loopback.
    const rebinding = createGuardedFetch({ allowPrivate: false, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    assert.doesNotThrow(() => assertUrlAllowed(`https://rebind.example:${port}/`, { allowPrivate: false }));
    const error = await refusal(rebinding(`https://rebind.example:${port}/`));
    assert.equal(error.code, 'upstream_not_allowed');
  });

  it('refuses plain http: when private upstreams are not allowed', async () => {
    const error = await refusal(guarded(`http://api.example.com/`));
    assert.equal(error.code, 'upstream_not_allowed');
  });

  it('allows loopback and http: when private upstreams are allowed', async () => {
    const open = createGuardedFetch({ allowPrivate: true });
    assert.equal((await open(`http://127.0.0.1:${port}/`)).status, 200);
    assert.equal((await open(`http://localhost:${port}/`)).status, 200);
  });

  it('a provider client with a private base URL fails with upstream_not_allowed', async () => {
    const settings = { kind: 'openai' as const, apiKey: new Secret('sk-proj-x'), baseUrl: 'https://169.254.169.254/v1', azure: null };
    assert.throws(
      () => createProviderClient(settings, { allowPrivateUpstreams: false, anthropicBaseUrl: null, openaiBaseUrl: null }),
      (e: unknown) => e instanceof ProviderError && e.code === 'upstream_not_allowed',
    );
  });
});

/** One GET through the guard's dispatch: its status, or the error it ended with. */
function dispatched(upstream: GuardedUpstream, url: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let status = 0;
    try {
      upstream.dispatch(url, { method: 'GET', headers: {} }, {
        onRequestStart: () => {},
        onResponseStart: (_c, code) => {
          status = code;
        },
        onResponseData: () => {},
        onResponseEnd: () => resolve(status),
        onResponseError: (_c, error) => reject(error),
      });
    } catch (error) {
      reject(error);
    }
  });
}

describe('createGuardedUpstream().dispatch (the streaming chat path)', () => {
  it('refuses non-public literals, loopback names, rebinding answers and plain http:, like fetch', async () => {
    const guarded = createGuardedUpstream({ allowPrivate: false, connectTimeoutMs: 2000 });
    const before = upstream.requests.length;
    for (const host of ['127.0.0.1', '169.254.169.254', '[::1]', '[::ffff:127.0.0.1]', 'localhost']) {
      const error = await refusal(dispatched(guarded, `https://${host}:${port}/v1/messages`));
      assert.equal(error.code, 'upstream_not_allowed', host);
    }
    const rebinding = createGuardedUpstream({ allowPrivate: false, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    assert.equal((await refusal(dispatched(rebinding, `https://rebind.example:${port}/`))).code, 'upstream_not_allowed');
    assert.equal((await refusal(dispatched(guarded, 'http://api.example.com/'))).code, 'upstream_not_allowed');
    assert.equal(upstream.requests.length, before, 'nothing reached the server');
  });

  it('reaches loopback when private upstreams are allowed', async () => {
    assert.equal(await dispatched(createGuardedUpstream({ allowPrivate: true }), `http://127.0.0.1:${port}/`), 200);
  });
});

describe('the connect clock', () => {
  it('a connection that never opens ends after connectTimeoutMs, and maps to timeout (retryable)', async () => {
    // A name whose lookup never answers: the connector's clock covers the lookup and the TCP connect.
    const stalled = createGuardedUpstream({ allowPrivate: false, connectTimeoutMs: 300, resolve: () => new Promise(() => {}) });
    const started = performance.now();
    const error = await dispatched(stalled, 'https://stalled.example/v1/messages').then(
      () => assert.fail('expected the connect clock to end it'),
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 3000, `ended after ${Math.round(elapsed)} ms`);
    assert.equal((error as { code?: string }).code, 'UND_ERR_CONNECT_TIMEOUT');
    const mapped = toProviderError(error, { provider: 'Anthropic', apiKey: 'k', map: () => ({ code: 'provider_error', message: 'x' }) });
    assert.equal(mapped.code, 'timeout');
    assert.equal(mapped.retryable, true);
  });
});
