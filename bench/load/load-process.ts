// The load generator's process (forked by bench/load/run-load.ts): prepares a job (sessions, warm
// connections), waits for "go" so the parent can sample Mosaic's CPU just before, runs it, and
// answers with raw latencies. It never shares a process with the server it measures.
import { request } from 'undici';
import { agent, createSession, exchange, mosaicTurnRequest, SessionPool } from './exchanges.ts';
import type { ChildMessage, LoadJob, ParentMessage, Schedule, StreamsJob, StreamsResult, Target, TurnsJob, TurnsResult } from './load-job.ts';
import { SseReader } from './sse-reader.ts';

const send = (message: ChildMessage) => process.send?.(message);

let prepared: (() => Promise<void>) | null = null;

process.on('message', (message: ParentMessage) => {
  if (message.type === 'prepare') {
    prepare(message.job).then(
      (run) => {
        prepared = run;
        send({ type: 'ready' });
      },
      (error: Error) => send({ type: 'failed', message: error.message }),
    );
  } else if (message.type === 'go' && prepared) {
    prepared().catch((error: Error) => send({ type: 'failed', message: error.message }));
  }
});

async function prepare(job: LoadJob): Promise<() => Promise<void>> {
  if (job.kind === 'streams') return prepareStreams(job);
  return prepareTurns(job);
}

type Fire = () => Promise<{ ok: boolean; firstTokenAt: number | null; error: string | null }>;

function turnsNeeded(schedule: Schedule): number {
  // Closed loop: a generous bound for one client; open loop: exactly rate × duration.
  return schedule.kind === 'open' ? Math.ceil((schedule.ratePerSecond * schedule.durationMs) / 1000) : Math.ceil((schedule.clients * schedule.durationMs) / 1000) * 1000;
}

async function makeFire(target: Target, expected: number): Promise<Fire> {
  if (target.kind === 'raw') {
    return () => exchange(target.url, target.headers, target.body, target.stream, target.firstTokenEvent, 'message_stop');
  }
  const pool = new SessionPool(target.mosaicUrl, target.token, target.turnsPerSession);
  // Twice what the turns need: under overload, turns in flight hold sessions with turns left.
  await pool.fill(Math.ceil((2 * expected) / target.turnsPerSession) + 64);
  return async () => {
    // Pool exhausted: a user opens a new chat (created inside the measured request, as it would be).
    const session = pool.acquire() ?? { id: await createSession(target.mosaicUrl, target.token), used: 0 };
    const req = mosaicTurnRequest(target, session.id);
    try {
      return await exchange(req.url, req.headers, req.body, target.stream, 'text-delta', 'message-end');
    } finally {
      pool.release(session);
    }
  };
}

async function prepareTurns(job: TurnsJob): Promise<() => Promise<void>> {
  // Closed loop with one client cannot send more than ~1000 turns/s: bound the pool to what a run can use.
  const expected = job.schedule.kind === 'closed' ? Math.min(turnsNeeded(job.schedule), 40_000) : turnsNeeded(job.schedule);
  const fire = await makeFire(job.target, expected + job.warmupRequests);
  for (let i = 0; i < job.warmupRequests; i += 1) {
    const outcome = await fire();
    if (!outcome.ok) throw new Error(`warm-up request failed: ${outcome.error}`);
  }
  return async () => void send({ type: 'result', result: await runTurns(job.schedule, fire) });
}

async function runTurns(schedule: Schedule, fire: Fire): Promise<TurnsResult> {
  const result: TurnsResult = { kind: 'turns', latenciesMs: [], firstTokenMs: [], errors: 0, errorSamples: [], elapsedMs: 0, sent: 0 };
  const record = async (intendedAt: number) => {
    result.sent += 1;
    try {
      const outcome = await fire();
      const doneAt = performance.now();
      if (!outcome.ok) return fail(outcome.error ?? 'failed');
      result.latenciesMs.push(doneAt - intendedAt);
      if (outcome.firstTokenAt !== null) result.firstTokenMs.push(outcome.firstTokenAt - intendedAt);
    } catch (error) {
      fail((error as Error).message);
    }
  };
  const fail = (message: string) => {
    result.errors += 1;
    if (result.errorSamples.length < 5) result.errorSamples.push(message);
  };
  const start = performance.now();
  if (schedule.kind === 'closed') {
    const client = async () => {
      while (performance.now() - start < schedule.durationMs) await record(performance.now());
    };
    await Promise.all(Array.from({ length: schedule.clients }, client));
  } else {
    await openLoop(schedule.ratePerSecond, schedule.durationMs, record);
  }
  result.elapsedMs = performance.now() - start;
  return result;
}

/**
 * Fixed arrival rate: request i is due at start + i/rate whatever happened to the ones before (latency
 * counts from that due time, so a stall is not hidden by the generator waiting it out).
 */
function openLoop(rate: number, durationMs: number, record: (intendedAt: number) => Promise<void>): Promise<void> {
  const total = Math.floor((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const p = record(start + next * interval).finally(() => inFlight.delete(p));
        inFlight.add(p);
        next += 1;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else void Promise.all(inFlight).then(() => resolve());
    };
    tick();
  });
}

async function prepareStreams(job: StreamsJob): Promise<() => Promise<void>> {
  const pool = new SessionPool(job.mosaicUrl, job.token, 1);
  await pool.fill(job.sessions, 32);
  const ids: string[] = [];
  for (let s = pool.acquire(); s !== null; s = pool.acquire()) ids.push(s.id);
  return async () => void send({ type: 'result', result: await runStreams(job, ids) });
}

async function runStreams(job: StreamsJob, ids: string[]): Promise<StreamsResult> {
  const result: StreamsResult = { kind: 'streams', completed: 0, errors: 0, errorSamples: [], corrupted: 0, chunks: 0, maxGapMs: [], elapsedMs: 0 };
  const fail = (message: string) => {
    result.errors += 1;
    if (result.errorSamples.length < 5) result.errorSamples.push(message);
  };
  const start = performance.now();
  const one = async (id: string, delayMs: number) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), job.timeoutMs);
    try {
      const res = await request(`${job.mosaicUrl}/api/chat/sessions/${id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ content: job.content }),
        dispatcher: agent,
        signal: controller.signal,
      });
      if (res.statusCode !== 200) return fail(`${res.statusCode} ${(await res.body.text()).slice(0, 200)}`);
      const reader = new SseReader();
      let position = 0;
      let intact = true;
      let ended = false;
      let lastAt = performance.now();
      let maxGap = 0;
      res.body.setEncoding('utf8');
      for await (const chunk of res.body as AsyncIterable<string>) {
        for (const event of reader.push(chunk)) {
          if (event.event === 'text-delta') {
            const now = performance.now();
            if (position > 0) maxGap = Math.max(maxGap, now - lastAt);
            lastAt = now;
            const text = (JSON.parse(event.data) as { text: string }).text;
            result.chunks += 1;
            if (intact && job.expectedText.startsWith(text, position)) position += text.length;
            else intact = false;
          } else if (event.event === 'message-end') ended = true;
          else if (event.event === 'error') return fail(`error event: ${event.data.slice(0, 200)}`);
        }
      }
      if (!ended) return fail('stream closed without message-end');
      if (!intact || position !== job.expectedText.length) result.corrupted += 1;
      result.completed += 1;
      result.maxGapMs.push(maxGap);
    } catch (error) {
      fail((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  };
  await Promise.all(ids.map((id, i) => one(id, (job.rampMs * i) / ids.length)));
  result.elapsedMs = performance.now() - start;
  return result;
}
