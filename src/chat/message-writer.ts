// Writes an answer into its `streaming` row as it arrives: the partial content and parts at most once
// per interval (not one UPDATE per chunk — thousands of answers stream at once), the session lease
// renewed on its own period, and the row finished as `complete`, `error` or `interrupted` with whatever
// was received. The partial writes and renewals of every answer in the process go through one shared
// flusher (answer-flusher.ts: one transaction per interval for all streams). A crash between flushes
// loses at most one interval.
import type { Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/schema.ts';
import type { NeutralPart, Usage } from '../providers/provider.ts';
import { answerFlusherFor, type AnswerFlusher, type FlushSource } from './answer-flusher.ts';
import type { PartialAnswer } from './partial-answers.ts';
import { appendText, textOf } from './message-history.ts';
import { releaseLease, renewLease, type LeaseTiming, type SessionLease } from './session-lease.ts';

export const FLUSH_INTERVAL_MS = 250;

export type WriterDeps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

export type FinalState =
  | { status: 'complete'; usage: Usage; model: string }
  | { status: 'error'; errorCode: string; usage: Usage }
  | { status: 'interrupted'; usage: Usage };

// Compiled once per database: the partial write runs for every streaming answer at every tick.
export class MessageWriter implements FlushSource {
  readonly messageId: string;
  readonly #deps: WriterDeps;
  readonly #tenantId: string;
  readonly #lease: SessionLease;
  readonly #timing: LeaseTiming;
  readonly #parts: NeutralPart[] = [];
  readonly #flusher: AnswerFlusher;
  #dirty = false;
  #lastRenewal = performance.now();
  #finished = false;

  constructor(deps: WriterDeps, input: { tenantId: string; messageId: string; lease: SessionLease; timing: LeaseTiming; flushMs?: number }) {
    this.#deps = deps;
    this.#tenantId = input.tenantId;
    this.messageId = input.messageId;
    this.#lease = input.lease;
    this.#timing = input.timing;
    this.#flusher = answerFlusherFor(deps.db, deps.logger, input.flushMs ?? FLUSH_INTERVAL_MS);
    this.#flusher.add(this);
  }

  get parts(): readonly NeutralPart[] {
    return this.#parts;
  }

  get text(): string {
    return textOf(this.#parts);
  }

  appendText(text: string): void {
    appendText(this.#parts, text);
    this.#dirty = true;
  }

  addPart(part: Extract<NeutralPart, { type: 'tool-call' | 'tool-result' }>): void {
    this.#parts.push(part);
    this.#dirty = true;
  }

  /**
   * Writes the final state and releases the session lease. Idempotent: the first call that commits wins; one
   * whose transaction failed may be made again (e.g. as an error).
   */
  async finish(state: FinalState): Promise<void> {
    await this.finishWithin(state, (work) => this.#deps.db.transaction().execute(work));
  }

  /**
   * finish() inside a transaction someone else opens: `run` opens it and calls `work` in it. The chat's last
   * model call settles this way (its settlement's transaction also finishes the answer: one commit fewer per
   * turn, issue 8); the ledger lives in usage/, so it, not the writer, owns that transaction.
   */
  async finishWithin(state: FinalState, run: (work: (trx: Transaction<Database>) => Promise<void>) => Promise<void>): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#flusher.remove(this);
    // A batch holding an older snapshot of this answer commits first; the final state goes after it.
    await this.#flusher.settled();
    const now = this.#deps.clock.now().toISOString();
    // The final row and the lease's release commit together (one commit per turn fewer, issue 8); a crash
    // before it leaves the row `streaming` and the lease to run out, as before.
    try {
      await run(async (trx) => {
        await trx
          .updateTable('chat_messages')
          .set({
            content: this.text,
            parts: JSON.stringify(this.#parts),
            status: state.status,
            error_code: state.status === 'error' ? state.errorCode : null,
            input_tokens: state.usage.inputTokens,
            output_tokens: state.usage.outputTokens,
            ...(state.status === 'complete' ? { model: state.model } : {}),
            updated_at: now,
          })
          .where('tenant_id', '=', this.#tenantId)
          .where('id', '=', this.messageId)
          .execute();
        await releaseLease({ ...this.#deps, db: trx }, this.#lease);
      });
    } catch (error) {
      // Nothing of it committed: the caller may finish again (the turn stores its error that way).
      this.#finished = false;
      throw error;
    }
  }

  // ---- FlushSource: called by the shared flusher at each tick ----

  due(nowMs: number): boolean {
    return !this.#finished && (this.#dirty || nowMs - this.#lastRenewal >= this.#timing.renewEveryMs);
  }

  takePartial(): PartialAnswer | null {
    if (this.#finished || !this.#dirty) return null;
    this.#dirty = false;
    const updatedAt = this.#deps.clock.now().toISOString();
    return { tenantId: this.#tenantId, id: this.messageId, content: this.text, parts: JSON.stringify(this.#parts), updatedAt };
  }

  async renewIn(trx: Transaction<Database>, nowMs: number): Promise<void> {
    if (this.#finished || nowMs - this.#lastRenewal < this.#timing.renewEveryMs) return;
    this.#lastRenewal = nowMs;
    if (!(await renewLease({ ...this.#deps, db: trx }, this.#lease, this.#timing))) {
      this.#deps.logger.warn({ sessionId: this.#lease.sessionId, messageId: this.messageId }, 'the session lease was lost while writing an answer');
    }
  }

  failed(): void {
    // Write the text again, and renew at the next tick (the renewal may have been rolled back too).
    this.#dirty = true;
    this.#lastRenewal = -Infinity;
  }
}
