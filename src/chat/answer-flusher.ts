// One flusher per database (and interval) for every answer streaming in this process: each tick writes
// the answers with new text, and renews the leases that are due, in ONE transaction — instead of one
// timer and one autocommit per stream. At 1,000 streams and 250 ms that is 20 commits a second instead of
// 4,000 (issue 8: the commit, not the UPDATE, is what costs on SQLite and PostgreSQL alike). The answers
// are spread over SLICES groups flushed in turn (one group every interval / SLICES), so that each answer is
// still saved once per interval but a tick writes a fifth of them: 1,000 UPDATEs at once held the event
// loop long enough to show in its p99. Within a tick the partial answers go out as one multi-row UPDATE per
// hundred answers (savePartialAnswers), not one statement each: on PostgreSQL every statement is a round
// trip inside the open transaction.
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { savePartialAnswers, type PartialAnswer } from './partial-answers.ts';

/** What the flusher asks of a streaming answer's writer at each tick. */
export interface FlushSource {
  /** True when the writer has something to write now (new text, or its lease is due for renewal). */
  due(nowMs: number): boolean;
  /** The answer's row as it stands, when it changed since the last write; it counts as written unless failed() follows. */
  takePartial(): PartialAnswer | null;
  /** Renews the session lease through `trx` (the tick's transaction) when it is due. */
  renewIn(trx: Transaction<Database>, nowMs: number): Promise<void>;
  /** The tick's transaction failed: everything it wrote for this writer must be written again. */
  failed(): void;
}

/** Answers per UPDATE statement; the batch yields to the event loop between statements. */
const ROWS_PER_STATEMENT = 100;
/** Groups of answers, flushed one after the other within each interval. */
const SLICES = 5;

export class AnswerFlusher {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #tickMs: number;
  readonly #groups: Array<Set<FlushSource>> = Array.from({ length: SLICES }, () => new Set());
  #count = 0;
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;

  constructor(db: Db, logger: Logger, intervalMs: number) {
    this.#db = db;
    this.#logger = logger;
    this.#tickMs = Math.max(1, Math.floor(intervalMs / SLICES));
  }

  add(source: FlushSource): void {
    // The smallest group: streams come and go, the groups stay even.
    let group = this.#groups[0]!;
    for (const g of this.#groups) if (g.size < group.size) group = g;
    if (group.has(source)) return;
    group.add(source);
    this.#count++;
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.#tick(), this.#tickMs);
      this.#timer.unref();
    }
  }

  /** Stops flushing `source`; the timer stops with the last one (no idle wake-ups, no leak in tests). */
  remove(source: FlushSource): void {
    for (const g of this.#groups) if (g.delete(source)) this.#count--;
    if (this.#count === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /** Resolves once the batch being written (if any) has committed or failed: a final write goes after it. */
  settled(): Promise<void> {
    return this.#inFlight ?? Promise.resolve();
  }

  #tick(): void {
    // A batch still writing (a slow disk, a busy pool): wait; the next group's turn comes at the next tick.
    if (this.#inFlight !== null) return;
    const group = this.#groups[this.#next]!;
    this.#next = (this.#next + 1) % SLICES;
    const now = performance.now();
    const due: FlushSource[] = [];
    for (const source of group) if (source.due(now)) due.push(source);
    if (due.length === 0) return;
    this.#inFlight = this.#write(due, now).finally(() => {
      this.#inFlight = null;
    });
  }

  async #write(due: FlushSource[], now: number): Promise<void> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        const rows: PartialAnswer[] = [];
        for (const source of due) {
          const row = source.takePartial();
          if (row !== null) rows.push(row);
        }
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          // better-sqlite3 answers synchronously, so a long batch would hold the event loop in one go:
          // let other work (relayed chunks) run between its statements.
          if (i > 0) await new Promise(setImmediate);
          await savePartialAnswers(trx, rows.slice(i, i + ROWS_PER_STATEMENT));
        }
        for (const source of due) await source.renewIn(trx, now);
      });
    } catch (error) {
      for (const source of due) source.failed();
      this.#logger.warn({ err: error, answers: due.length }, 'could not save the partial answers; retrying at the next interval');
    }
  }
}

// Keyed by the Kysely instance, so that each database (each test's) has its own flusher and timer.
const flushers = new WeakMap<Db, Map<number, AnswerFlusher>>();

/** The process's flusher for this database and interval. */
export function answerFlusherFor(db: Db, logger: Logger, intervalMs: number): AnswerFlusher {
  let byInterval = flushers.get(db);
  if (byInterval === undefined) {
    byInterval = new Map();
    flushers.set(db, byInterval);
  }
  let flusher = byInterval.get(intervalMs);
  if (flusher === undefined) {
    flusher = new AnswerFlusher(db, logger, intervalMs);
    byInterval.set(intervalMs, flusher);
  }
  return flusher;
}
