// The web app is served from the same origin as the API: index.html for the app's paths, hashed
// assets with a long cache, JSON 404s for unknown API paths, and a clear 503 when web/dist is missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { ensureWebBuild } from '../../../../scripts/build-web.ts';
import { createTestContext, type TestContext } from '../../../testing/test-context.ts';
import { buildApp } from '../../app.ts';
import { registerWebApp } from './web-routes.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('web app served by the Mosaic server (real build)', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  before(async () => {
    await ensureWebBuild();
    ctx = await createTestContext('sqlite');
    app = await buildApp(ctx);
  });
  after(async () => {
    await app.close();
    await ctx.cleanup();
  });

  it('serves index.html at / without caching, with a content security policy', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(res.body, /<div id="root"><\/div>/);
  });

  it('serves the hashed assets index.html references, cached for a year', async () => {
    const index = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
    const scripts = [...index.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(scripts.some((s) => s.endsWith('.js')), 'index.html references a script bundle');
    for (const asset of scripts) {
      const res = await app.inject({ method: 'GET', url: asset });
      assert.equal(res.statusCode, 200, asset);
      assert.match(String(res.headers['cache-control']), /max-age=31536000/);
      assert.match(String(res.headers['cache-control']), /immutable/);
      assert.match(String(res.headers['content-type']), asset.endsWith('.js') ? /javascript/ : /css/);
    }
  });

  it('answers the app\'s own paths with index.html when a browser asks (deep links, reloads)', async () => {
    for (const url of ['/admin/ai-configuration', '/admin/sessions/abc?x=1', '/chat/123', '/login?next=%2Fadmin', '/setup?token=t']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: HTML } });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<div id="root">/, url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
    }
  });

  it('keeps unknown /api paths as JSON 404s, even for a browser', async () => {
    for (const accept of [HTML, 'application/json']) {
      const res = await app.inject({ method: 'GET', url: '/api/does-not-exist', headers: { accept } });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'not_found');
    }
    const post = await app.inject({ method: 'POST', url: '/api/nope', payload: {} });
    assert.equal(post.statusCode, 404);
    assert.equal(post.json().error.code, 'not_found');
  });

  it('answers a missing asset or a non-HTML request for an app path with a JSON 404, not index.html', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/missing-123.js' });
    assert.equal(asset.statusCode, 404);
    assert.equal(asset.json().error.code, 'not_found');
    const json = await app.inject({ method: 'GET', url: '/admin/users', headers: { accept: 'application/json' } });
    assert.equal(json.statusCode, 404);
  });

  it('never serves files outside web/dist', async () => {
    for (const url of ['/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json']) {
      const res = await app.inject({ method: 'GET', url });
      assert.notEqual(res.statusCode, 200, url);
      assert.doesNotMatch(res.body, /"name": "mosaic"/, url);
      assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
    }
  });

  it('leaves the health check alone', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });
});

describe('web app not built', () => {
  let app: FastifyInstance;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-web-'));
    app = Fastify();
    app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'not_found', message: 'No route.' } }));
    await registerWebApp(app, path.join(dir, 'dist'));
  });
  after(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tells a browser how to build it (503 page)', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin', headers: { accept: HTML } });
    assert.equal(res.statusCode, 503);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /node scripts\/build-web\.ts/);
  });

  it('answers API clients with the JSON error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'web_app_not_built');
    const api = await app.inject({ method: 'GET', url: '/api/me' });
    assert.equal(api.statusCode, 404);
  });

  it('serves the app as soon as the build appears, without a restart', async () => {
    fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><div id="root"></div>');
    const res = await app.inject({ method: 'GET', url: '/chat/1', headers: { accept: HTML } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="root"/);
  });
});
