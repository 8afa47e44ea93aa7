// Runs read-only queries on a dataset file in a small pool of query processes, so that the server's event
// loop never waits on SQLite. Each process holds its own sandboxed connection (sqlite-sandbox.ts); a query
// that outlives its timeout, or whose caller aborts, has its process killed and a fresh one is started on
// the next request. Idle processes do not keep the server alive, and close() ends them all.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_MAX_ROWS,
  DEFAULT_QUERY_TIMEOUT_MS,
  type DatasetTable,
  type QueryOptions,
  type QueryResult,
} from './dataset-source.ts';
import { DatasetQueryError } from './dataset-query-error.ts';
import type { ExecuteResult } from './sqlite-query-execute.ts';
import type { QueryProcessReply, QueryProcessRequest } from './sqlite-query-protocol.ts';

const PROCESS_FILE = fileURLToPath(new URL('./sqlite-query-process.ts', import.meta.url));
const DESCRIBE_TIMEOUT_MS = 15_000;
/** Upper bounds on what a caller may ask for, whatever it passes. */
const MAX_ROWS_LIMIT = 10_000;
const MAX_BYTES_LIMIT = 4 * 1024 * 1024;

export interface SqliteQueryRunnerOptions {
  /** The dataset file, opened read-only by each query process. */
  path: string;
  /** Query processes at most (default 2). */
  poolSize?: number;
}

export interface SqliteQueryRunner {
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** The schema with row counts and samples (no notes). */
  describe(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<DatasetTable[]>;
  /** Kills every query process; pending calls fail with `unavailable`. */
  close(): Promise<void>;
}

type RequestBody = { kind: 'query'; sql: string; maxRows: number; maxBytes: number } | { kind: 'describe' };

interface Job {
  id: number;
  body: RequestBody;
  signal: AbortSignal | undefined;
  timer: NodeJS.Timeout;
  onAbort: () => void;
  slot: Slot | null;
  sentAt: number;
  settled: boolean;
  resolve: (value: { result: unknown; durationMs: number }) => void;
  reject: (error: DatasetQueryError) => void;
}

interface Slot {
  child: ChildProcess;
  job: Job | null;
  fatal: string | null;
  exited: Promise<void>;
}

const clampInt = (value: number | undefined, fallback: number, max: number): number =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(Math.max(1, Math.floor(value)), max);

/** Starts a runner for `path`; processes are spawned on the first query, not here. */
export function createSqliteQueryRunner(options: SqliteQueryRunnerOptions): SqliteQueryRunner {
  const poolSize = clampInt(options.poolSize, 2, 16);
  const slots: Slot[] = [];
  const queue: Job[] = [];
  /** Every process not yet exited, including killed ones, so close() can wait for all of them. */
  const live = new Set<Slot>();
  let nextId = 1;
  let closed = false;

  function setBusy(slot: Slot, busy: boolean): void {
    // An idle process must not keep the server (or a test) running; a busy one must, or its answer is lost.
    if (busy) {
      slot.child.ref();
      slot.child.channel?.ref();
    } else {
      slot.child.unref();
      slot.child.channel?.unref();
    }
  }

  function spawn(): Slot {
    const child = fork(PROCESS_FILE, [options.path], {
      // Nothing from the server's environment (keys, DATABASE_URL) reaches the process that runs model SQL.
      env: {},
      execArgv: ['--max-old-space-size=256', '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    let markExited: () => void = () => {};
    const slot: Slot = { child, job: null, fatal: null, exited: new Promise<void>((resolve) => (markExited = resolve)) };
    let gone = false;
    const finish = () => {
      if (gone) return;
      gone = true;
      live.delete(slot);
      markExited();
      onExit(slot);
    };
    child.on('message', (reply: QueryProcessReply) => onReply(slot, reply));
    // A process that never started emits no 'exit'; one that did is killed and exits.
    child.on('error', () => (child.pid === undefined ? finish() : child.kill('SIGKILL')));
    child.on('exit', finish);
    slots.push(slot);
    live.add(slot);
    return slot;
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      const slot = slots.find((s) => s.job === null) ?? (slots.length < poolSize ? spawn() : null);
      if (slot === null) return;
      const job = queue.shift()!;
      slot.job = job;
      job.slot = slot;
      job.sentAt = performance.now();
      setBusy(slot, true);
      const request: QueryProcessRequest = { id: job.id, ...job.body };
      slot.child.send(request, (error) => {
        if (error) abandon(slot);
      });
    }
  }

  function settle(job: Job, outcome: { error: DatasetQueryError } | { result: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    job.signal?.removeEventListener('abort', job.onAbort);
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve({ result: outcome.result, durationMs: Math.round(performance.now() - job.sentAt) });
  }

  function onReply(slot: Slot, reply: QueryProcessReply): void {
    if (reply.id === null) {
      slot.fatal = reply.fatal;
      return;
    }
    const job = slot.job;
    if (job === null || job.id !== reply.id) return;
    slot.job = null;
    setBusy(slot, false);
    settle(job, reply.ok ? { result: reply.result } : { error: new DatasetQueryError(reply.error.code, reply.error.message) });
    pump();
  }

  function onExit(slot: Slot): void {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    if (job !== null) {
      const reason = slot.fatal ?? 'the query process stopped unexpectedly';
      settle(job, { error: new DatasetQueryError('unavailable', `The dataset could not run the query (${reason}). Try again later.`) });
    }
    pump();
  }

  /** Kills a slot's process; its job, if any, has already been settled or will be by onExit. */
  function abandon(slot: Slot): void {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
    slot.child.kill('SIGKILL');
  }

  function stop(job: Job, error: DatasetQueryError): void {
    if (job.settled) return;
    if (job.slot !== null) {
      const slot = job.slot;
      slot.job = null;
      abandon(slot);
    } else {
      const index = queue.indexOf(job);
      if (index !== -1) queue.splice(index, 1);
    }
    settle(job, { error });
    pump();
  }

  function submit(body: RequestBody, timeoutMs: number, signal: AbortSignal | undefined): Promise<{ result: unknown; durationMs: number }> {
    if (closed) return Promise.reject(new DatasetQueryError('unavailable', 'The dataset is closed.'));
    if (signal?.aborted) return Promise.reject(new DatasetQueryError('aborted', 'The query was cancelled.'));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: nextId++,
        body,
        signal,
        slot: null,
        sentAt: performance.now(),
        settled: false,
        resolve,
        reject,
        onAbort: () => stop(job, new DatasetQueryError('aborted', 'The query was cancelled.')),
        timer: setTimeout(() => {
          const seconds = Number((timeoutMs / 1000).toFixed(1));
          stop(job, new DatasetQueryError('timeout', `The query ran longer than ${seconds} s and was stopped. Make it cheaper: filter early, aggregate, avoid cross joins and unbounded recursive CTEs.`));
        }, timeoutMs),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      queue.push(job);
      pump();
    });
  }

  return {
    async query(sql, queryOptions = {}) {
      const body: RequestBody = {
        kind: 'query',
        sql,
        maxRows: clampInt(queryOptions.maxRows, DEFAULT_MAX_ROWS, MAX_ROWS_LIMIT),
        maxBytes: clampInt(queryOptions.maxBytes, DEFAULT_MAX_RESULT_BYTES, MAX_BYTES_LIMIT),
      };
      const timeoutMs = clampInt(queryOptions.timeoutMs, DEFAULT_QUERY_TIMEOUT_MS, 10 * 60_000);
      const { result, durationMs } = await submit(body, timeoutMs, queryOptions.signal);
      return { ...(result as ExecuteResult), durationMs };
    },

    async describe(describeOptions = {}) {
      const timeoutMs = clampInt(describeOptions.timeoutMs, DESCRIBE_TIMEOUT_MS, 10 * 60_000);
      const { result } = await submit({ kind: 'describe' }, timeoutMs, describeOptions.signal);
      return result as DatasetTable[];
    },

    async close() {
      closed = true;
      const unavailable = () => new DatasetQueryError('unavailable', 'The dataset was closed.');
      for (const job of queue.splice(0)) settle(job, { error: unavailable() });
      for (const slot of slots.splice(0)) {
        if (slot.job !== null) settle(slot.job, { error: unavailable() });
        slot.job = null;
        // Held until it has exited, so that awaiting close() really waits for it.
        setBusy(slot, true);
        slot.child.kill('SIGKILL');
      }
      await Promise.all([...live].map((s) => s.exited));
    },
  };
}
