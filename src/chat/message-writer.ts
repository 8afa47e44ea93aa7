// Writes an answer into its `streaming` row as it arrives: the partial content and parts at most once
// per interval (one UPDATE per interval, not one per chunk — thousands of answers stream at once), the
// session lease renewed on its own period, and the row finished as `complete`, `error` or
// `interrupted` with whatever was received. A crash between flushes loses at most one interval.
import type { AppContext } from '../app-context.ts';
import type { NeutralPart, Usage } from '../providers/provider.ts';
import { appendText, textOf } from './message-history.ts';
import { releaseLease, renewLease, type LeaseTiming, type SessionLease } from './session-lease.ts';

export const FLUSH_INTERVAL_MS = 250;

export type WriterDeps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

export type FinalState =
  | { status: 'complete'; usage: Usage; model: string }
  | { status: 'error'; errorCode: string; usage: Usage }
  | { status: 'interrupted'; usage: Usage };

export class MessageWriter {
  readonly messageId: string;
  readonly #deps: WriterDeps;
  readonly #tenantId: string;
  readonly #lease: SessionLease;
  readonly #timing: LeaseTiming;
  readonly #parts: NeutralPart[] = [];
  readonly #timer: NodeJS.Timeout;
  #dirty = false;
  #lastRenewal = performance.now();
  #pending: Promise<void> = Promise.resolve();
  #finished = false;

  constructor(deps: WriterDeps, input: { tenantId: string; messageId: string; lease: SessionLease; timing: LeaseTiming; flushMs?: number }) {
    this.#deps = deps;
    this.#tenantId = input.tenantId;
    this.messageId = input.messageId;
    this.#lease = input.lease;
    this.#timing = input.timing;
    this.#timer = setInterval(() => this.#tick(), input.flushMs ?? FLUSH_INTERVAL_MS);
    this.#timer.unref();
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

  /** Writes the final state and releases the session lease. Idempotent: the first call wins. */
  async finish(state: FinalState): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    clearInterval(this.#timer);
    await this.#pending;
    const now = this.#deps.clock.now().toISOString();
    // The final row and the lease's release commit together (one commit per turn fewer, issue 8); a crash
    // before it leaves the row `streaming` and the lease to run out, as before.
    await this.#deps.db.transaction().execute(async (trx) => {
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
  }

  #tick(): void {
    if (this.#finished) return;
    const renew = performance.now() - this.#lastRenewal >= this.#timing.renewEveryMs;
    if (!this.#dirty && !renew) return;
    this.#pending = this.#pending.then(() => this.#flush(renew)).catch((error: unknown) => {
      this.#deps.logger.warn({ err: error, messageId: this.messageId }, 'could not save the partial answer; retrying at the next interval');
      this.#dirty = true;
    });
  }

  async #flush(renew: boolean): Promise<void> {
    if (this.#finished) return;
    if (this.#dirty) {
      this.#dirty = false;
      await this.#deps.db
        .updateTable('chat_messages')
        .set({ content: this.text, parts: JSON.stringify(this.#parts), updated_at: this.#deps.clock.now().toISOString() })
        .where('tenant_id', '=', this.#tenantId)
        .where('id', '=', this.messageId)
        .execute();
    }
    if (renew) {
      this.#lastRenewal = performance.now();
      if (!(await renewLease(this.#deps, this.#lease, this.#timing))) {
        this.#deps.logger.warn({ sessionId: this.#lease.sessionId, messageId: this.messageId }, 'the session lease was lost while writing an answer');
      }
    }
  }
}
