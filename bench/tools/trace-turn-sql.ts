// `node bench/tools/trace-turn-sql.ts [sqlite|postgres]`: lists every SQL statement one non-streaming chat
// turn runs (bearer token, [[sim:no-tools]], a monthly budget set), in order — the statement count of
// the hot path, for issue 8. Runs the app in-process against the simulator.
import SQLite from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../../sim/simulator.ts';
import { addProvider, providerCase, createChatSession, type ChatKit } from '../../src/chat/testing/chat-test-kit.ts';
import { seedTenant, signIn } from '../../src/testing/factories.ts';
import { createTestApp } from '../../src/testing/test-app.ts';

const log: string[] = [];
let tracing = false;
let firstTurn = true;
const timing = new Map<string, { n: number; us: number }>();
const turns = Number(process.env.TURNS ?? 1);
// Wrap better-sqlite3's statement methods: every statement Kysely runs goes through one of these.
const probe = new SQLite(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
for (const method of ['run', 'all', 'get', 'iterate'] as const) {
  const original = proto[method]!;
  proto[method] = function (this: { source: string }, ...args: unknown[]) {
    if (!tracing) return original.apply(this, args);
    const started = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const key = this.source.replace(/\s+/g, ' ').slice(0, 110);
      const us = Number(process.hrtime.bigint() - started) / 1000;
      const seen = timing.get(key) ?? { n: 0, us: 0 };
      timing.set(key, { n: seen.n + 1, us: seen.us + us });
      if (firstTurn) log.push(key);
    }
  };
}
probe.close();

const kind = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
// A file database, as a user runs Mosaic (an in-memory one hides the WAL's cost).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-trace-'));
const sim = await startSimulator();
const t = await createTestApp(kind, { env: { MOSAIC_CHEAP_FLOWS: '0' }, sqlitePath: path.join(dir, 'mosaic.db') });
await t.app.listen({ port: 0, host: '127.0.0.1' });
const seeded = await seedTenant(t.ctx);
const kit: ChatKit = {
  t,
  sim,
  baseUrl: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`,
  seeded,
  admin: await signIn(t.app, seeded.admin.email, seeded.admin.password),
  async close() {
    await t.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  },
};
try {
  await addProvider(kit, providerCase('anthropic'), { activate: true });
  const limits = await kit.t.app.inject({ method: 'PUT', url: '/api/admin/ai/limits', headers: kit.admin.headers, payload: { monthlyBudgetUsd: 1000, alertAtPct: 80, perUserMonthlyBudgetUsd: null, maxAgentSteps: 8, alertWebhookUrl: null } });
  if (limits.statusCode !== 200) throw new Error(limits.body);
  const tokenRes = await kit.t.app.inject({ method: 'POST', url: '/api/tokens', headers: kit.admin.headers, payload: { name: 'bench' } });
  const token = (tokenRes.json() as { token: string }).token;
  let sessionId = await createChatSession(kit);
  let turnsInSession = 0;
  const turn = async () => {
    // Like the benchmark: 4 turns per session, then a fresh one (history realistic but bounded).
    if (++turnsInSession > 4) {
      const wasTracing = tracing;
      tracing = false;
      sessionId = await createChatSession(kit);
      turnsInSession = 1;
      tracing = wasTracing;
    }
    const res = await fetch(`${kit.baseUrl}/api/chat/sessions/${sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'Hello [[sim:no-tools]]' }),
    });
    if (res.status !== 200) throw new Error(await res.text());
    await res.text();
  };
  await turn();
  await turn();
  await new Promise((r) => setTimeout(r, 300));
  tracing = true;
  await turn();
  firstTurn = false;
  for (let i = 1; i < turns; i++) await turn();
  await new Promise((r) => setTimeout(r, 300));
  tracing = false;
  log.forEach((line, i) => process.stdout.write(`${String(i + 1).padStart(3)} ${line}\n`));
  let total = 0;
  process.stdout.write(`\nnative time per turn by statement (${turns} turns):\n`);
  for (const [key, t] of [...timing].sort((a, b) => b[1].us - a[1].us)) {
    total += t.us;
    process.stdout.write(`${(t.us / turns).toFixed(1).padStart(8)} µs ${(t.n / turns).toFixed(2).padStart(5)}×  ${key}\n`);
  }
  process.stdout.write(`${(total / turns).toFixed(1).padStart(8)} µs total\n`);
} finally {
  await kit.close();
}
