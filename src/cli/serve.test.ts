// `npm start` as a process: the bootstrap admin can sign in the moment Mosaic says it listens, and
// SIGTERM lets an answer being streamed finish, refuses new connections, then exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '../../sim/simulator.ts';
import { readSse } from '../chat/testing/chat-test-kit.ts';
import { startMosaicProcess } from '../testing/mosaic-process.ts';

const EMAIL = 'admin@serve.test';
const PASSWORD = 'serve-test-password-1';

test('sign-in works at the listening line; SIGTERM lets a running answer finish, then exits 0', async () => {
  const sim = await startSimulator();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-serve-'));
  const mosaic = await startMosaicProcess({
    dataDir,
    env: { MOSAIC_ADMIN_EMAIL: EMAIL, MOSAIC_ADMIN_PASSWORD: PASSWORD, MOSAIC_ANTHROPIC_BASE_URL: sim.anthropic.baseUrl },
  });
  try {
    const login = await fetch(`${mosaic.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    assert.equal(login.status, 200, 'the admin exists as soon as Mosaic says it listens');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie: login.headers.getSetCookie()[0]!.split(';')[0]!, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const added = await fetch(`${mosaic.url}/api/admin/ai/providers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ kind: 'anthropic', apiKey: sim.anthropic.apiKey, models: { orchestrator: 'claude-sonnet-4-5-20250929' } }),
    });
    assert.equal(added.status, 201, await added.text());
    const session = (await (await fetch(`${mosaic.url}/api/chat/sessions`, { method: 'POST', headers, body: '{}' })).json()) as { session: { id: string } };

    // About two seconds of streaming; SIGTERM arrives after the first words.
    const res = await fetch(`${mosaic.url}/api/chat/sessions/${session.session.id}/messages`, {
      method: 'POST',
      headers: { ...headers, accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'Tell me slowly [[sim:no-tools]] [[sim:words:30]] [[sim:tps:15]]' }),
    });
    const exitCode = new Promise<number | null>((resolve) => mosaic.child.once('exit', (code) => resolve(code)));
    const events: string[] = [];
    let signalled = false;
    for await (const event of readSse(res.body!)) {
      events.push(event.event);
      if (event.event === 'text-delta' && !signalled) {
        signalled = true;
        mosaic.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 200));
        await assert.rejects(fetch(`${mosaic.url}/healthz`), 'no new connections while shutting down');
      }
    }
    assert.ok(signalled);
    assert.equal(events.filter((e) => e === 'message-end').length, 1, `the running answer completed: ${events.join(',')}`);
    assert.equal(await exitCode, 0, mosaic.lines.slice(-5).join('\n'));
    assert.ok(mosaic.lines.some((l) => l.includes('shutting down')));
  } finally {
    await mosaic.kill();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
