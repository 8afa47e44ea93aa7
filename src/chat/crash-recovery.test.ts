// kill -9 in the middle of an answer: after a restart on the same data dir and once the dead instance's
// lease has run out, the user's message and the partial answer (interrupted) are there and the session
// takes a new message. A real child process, a real SQLite file, the simulator as the provider.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import { startMosaicProcess, type MosaicProcess } from '../testing/mosaic-process.ts';
import { readSse, type SseEvent } from './testing/chat-test-kit.ts';

const EMAIL = 'admin@crash.test';
const PASSWORD = 'crash-test-password-1';

let sim: Simulator;
let dataDir: string;
const running: MosaicProcess[] = [];

before(async () => {
  sim = await startSimulator();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-crash-'));
});
after(async () => {
  for (const mosaic of running) await mosaic.kill();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Mosaic on the shared data dir, with a 1 s lease so a dead instance's answers are recovered quickly. */
async function startMosaic(): Promise<MosaicProcess> {
  const mosaic = await startMosaicProcess({
    dataDir,
    env: {
      MOSAIC_ANTHROPIC_BASE_URL: sim.anthropic.baseUrl,
      MOSAIC_OPENAI_BASE_URL: sim.openai.baseUrl,
      MOSAIC_ADMIN_EMAIL: EMAIL,
      MOSAIC_ADMIN_PASSWORD: PASSWORD,
      MOSAIC_CHAT_LEASE_SECONDS: '1',
    },
  });
  running.push(mosaic);
  return mosaic;
}

async function signIn(url: string): Promise<Record<string, string>> {
  // The bootstrap admin exists before Mosaic logs that it listens: one attempt must do.
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

async function call(url: string, headers: Record<string, string>, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

it('a SIGKILL mid-answer leaves the question and an interrupted partial answer, and the session usable', async () => {
  const first = await startMosaic();
  let headers = await signIn(first.url);
  const added = await call(first.url, headers, 'POST', '/api/admin/ai/providers', {
    kind: 'anthropic',
    apiKey: sim.anthropic.apiKey,
    models: { orchestrator: 'claude-sonnet-4-5-20250929', fast: 'claude-haiku-4-5-20251001' },
  });
  assert.equal(added.status, 201, JSON.stringify(added.json));
  const session = await call(first.url, headers, 'POST', '/api/chat/sessions', {});
  const sessionId = session.json.session.id as string;

  const res = await fetch(`${first.url}/api/chat/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { ...headers, accept: 'text/event-stream' },
    body: JSON.stringify({ content: 'A long story [[sim:no-tools]] [[sim:words:400]] [[sim:tps:40]]' }),
  });
  const events: SseEvent[] = [];
  try {
    for await (const event of readSse(res.body!)) {
      events.push(event);
      if (events.filter((e) => e.event === 'text-delta').length === 20) {
        await sleep(400); // past a flush interval, so some text is on disk
        void first.kill();
      }
    }
  } catch {
    // the dead server cut the stream
  }
  assert.ok(events.some((e) => e.event === 'message-start'));
  assert.equal(events.some((e) => e.event === 'message-end'), false);
  await first.kill();

  const second = await startMosaic();
  headers = await signIn(second.url);
  const until = Date.now() + 10_000;
  let messages: Array<{ role: string; status: string; content: string }> = [];
  for (;;) {
    messages = (await call(second.url, headers, 'GET', `/api/chat/sessions/${sessionId}`)).json.messages;
    if (messages[1]?.status === 'interrupted' || Date.now() > until) break;
    await sleep(100);
  }
  assert.equal(messages.length, 2);
  assert.equal(messages[0]!.role, 'user');
  assert.match(messages[0]!.content, /A long story/);
  assert.equal(messages[1]!.status, 'interrupted');
  assert.ok(messages[1]!.content.length > 0, 'the partial answer written before the crash is kept');

  const next = await call(second.url, headers, 'POST', `/api/chat/sessions/${sessionId}/messages`, { content: 'Are you back? [[sim:no-tools]]' });
  assert.equal(next.status, 200, JSON.stringify(next.json));
  assert.match(next.json.message.content, /Simulated answer/);
  await second.stop();
});
