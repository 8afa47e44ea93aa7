// One model call's attempts, shared by both ways of calling a provider (ai-sdk-client.ts, wire-client.ts):
// the call's signals — the caller's own (a user closed the browser), the whole call's clock, and each
// attempt's controller (its first-byte clock, or ending the request early) — and the retry loop over them.
import { ProviderError } from './provider-error.ts';
import { timeoutError } from './provider-timeouts.ts';
import { abortableSleep, retryDelayMs, type RetryOptions } from './retry.ts';
import { toProviderError, type ToProviderErrorOptions } from './upstream-failure.ts';

/**
 * A failure of the caller's own code during a call (the sink an answer streams into: the client's socket,
 * the message store), carried out of the attempt so it is not mistaken for the provider's: runAttempts
 * rethrows `cause` as it is, without mapping it to a ProviderError and without a retry.
 */
export class CallerFailure extends Error {
  constructor(cause: unknown) {
    super('The caller failed while taking the answer.', { cause });
    this.name = 'CallerFailure';
  }
}

/** One call's signals: the caller's, the total clock, and this attempt's own (first-byte clock, early exit). */
class CallControl {
  readonly total = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly caller: AbortSignal | undefined;

  constructor(caller: AbortSignal | undefined, provider: string, totalMs: number) {
    this.caller = caller;
    this.#timer = setTimeout(() => this.total.abort(timeoutError(provider, 'total', totalMs)), totalMs);
  }

  /** For the wait between attempts: the caller and the total clock end it. */
  get waitSignal(): AbortSignal {
    return AbortSignal.any([this.total.signal, ...(this.caller ? [this.caller] : [])]);
  }

  /**
   * A controller for one attempt, aborted by its own clock and also by the call's total clock and the
   * caller, through plain forwarding listeners: AbortSignal.any per attempt (WeakRefs, a
   * FinalizationRegistry, a composite signal) showed as ~12 µs a chat turn in issue 8's profiles. The
   * listeners live as long as the call's own signals.
   */
  attempt(): AbortController {
    const attempt = new AbortController();
    const sources = this.caller === undefined ? [this.total.signal] : [this.caller, this.total.signal];
    for (const source of sources) {
      if (source.aborted) {
        attempt.abort(source.reason);
        break;
      }
      // A plain listener, gone with `source` (the call's own signals). Not the `signal` option: Node makes
      // that a weak listener with a FinalizationRegistry entry, which keeps it and what it holds alive
      // through young-generation GCs into the old generation (heap snapshots during issue 8's runs).
      source.addEventListener('abort', () => attempt.abort(source.reason), { once: true });
    }
    return attempt;
  }

  /** Why the call was aborted, when it was: the caller's reason wins, then our clocks. */
  abortReason(attempt: AbortController): unknown {
    if (this.caller?.aborted) return this.caller.reason;
    if (this.total.signal.aborted) return this.total.signal.reason;
    if (attempt.signal.aborted) return attempt.signal.reason;
    return undefined;
  }

  done(): void {
    clearTimeout(this.#timer);
  }
}

/** What a failed attempt ends with: the caller's reason when it stopped, our clock's timeout, else the failure mapped. */
function attemptFailure(error: unknown, control: CallControl, attempt: AbortController, options: ToProviderErrorOptions): unknown {
  const aborted = control.abortReason(attempt);
  if (control.caller?.aborted) return control.caller.reason;
  if (aborted instanceof ProviderError) return aborted;
  return toProviderError(error, options);
}

export interface AttemptsOptions {
  /** The caller's signal (ModelCallRequest.signal). */
  caller: AbortSignal | undefined;
  totalMs: number;
  retry: RetryOptions;
  errors: ToProviderErrorOptions;
  /** False once retrying would repeat what already reached the caller (a streamed event). */
  mayRetry?: () => boolean;
}

/**
 * Runs `attemptOnce` until it succeeds, under the call's total clock: a failure is mapped (attemptFailure)
 * and retried as retry.ts allows, unless the caller stopped or `mayRetry` says no. The attempt's own
 * controller ends it early; `attemptOnce` gets it to hang its first-byte clock and its request on.
 */
export async function runAttempts<T>(options: AttemptsOptions, attemptOnce: (attempt: AbortController) => Promise<T>): Promise<T> {
  const control = new CallControl(options.caller, options.errors.provider, options.totalMs);
  const sleep = options.retry.sleep ?? abortableSleep;
  try {
    for (let n = 0; ; n++) {
      const attempt = control.attempt();
      try {
        return await attemptOnce(attempt);
      } catch (error) {
        if (error instanceof CallerFailure) throw error.cause;
        const settled = attemptFailure(error, control, attempt, options.errors);
        const retryable = options.mayRetry?.() ?? true;
        const delay = !retryable || control.caller?.aborted ? null : retryDelayMs(settled, n, options.retry);
        if (delay === null) throw settled;
        await sleep(delay, control.waitSignal);
      }
    }
  } finally {
    control.done();
  }
}
