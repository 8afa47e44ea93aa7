// One model call the way every chat call is made: its worst-case cost reserved first (refused with
// budget_exhausted when a budget cannot hold it), then the call, then its real cost settled and the call
// recorded for the admin timeline — whether it succeeded, failed or was cut off.
import type { AppContext } from '../../app-context.ts';
import type { ModelCallRequest, ModelCallResult, ModelStreamEvent, ProviderClient, ProviderKind, Usage } from '../../providers/provider.ts';
import { isProviderError } from '../../providers/provider-error.ts';
import { AppError } from '../../server/errors.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inputUtf8BytesOf, releaseCall, reserveCall, reserveCallIn, settleCall, type CallBudgetInput, type CallReservation } from '../../usage/budget-guard.ts';
import type { AlsoInTransaction } from '../../usage/budget-ledger.ts';
import type { BudgetSettings } from '../../usage/limits.ts';
import { recordModelCallIn, type CallScope, type ModelCallRecord } from '../call-records.ts';
import { ClientGone } from '../chat-errors.ts';

export type CallDeps = Pick<AppContext, 'db' | 'clock' | 'logger' | 'config' | 'metrics' | 'vault'>;

export interface CallTarget {
  client: ProviderClient;
  kind: ProviderKind;
  /** The model sent (Azure: the deployment name). */
  model: string;
  azureModelOf: Record<string, string> | null;
}

export interface CallOptions {
  scope: CallScope;
  flow: ModelCallRecord['flow'];
  target: CallTarget;
  budget?: BudgetSettings;
}

/** A stable code for the timeline: the provider's, ours, or what cut the call off. */
export function errorCodeOf(error: unknown): string {
  if (isProviderError(error) || error instanceof AppError) return error.code;
  if (error instanceof ClientGone) return 'client_closed';
  return 'internal_error';
}

// When a call fails after output began, the provider has billed it but told us no usage: estimate
// ~4 bytes a token (marked estimated), so the ledger does not undercount.
function estimatedUsage(inputBytes: number, outputBytes: number): Usage {
  return { inputTokens: Math.ceil(inputBytes / 4), outputTokens: Math.ceil(outputBytes / 4) };
}

/** What the budget needs to know of a call: who, which model (for its price), and its worst-case size. */
function budgetInputOf(
  options: { scope: CallScope; target: Omit<CallTarget, 'client'>; budget?: BudgetSettings | undefined },
  inputBytes: number,
  maxOutputTokens: number,
): CallBudgetInput {
  return {
    tenantId: options.scope.tenantId,
    userId: options.scope.userId,
    kind: options.target.kind,
    model: options.target.model,
    azureModelOf: options.target.azureModelOf,
    inputUtf8Bytes: inputBytes,
    maxOutputTokens,
    ...(options.budget ? { settings: options.budget } : {}),
  };
}

async function reserveOrThrow(deps: CallDeps, options: CallOptions, request: ModelCallRequest, inputBytes: number): Promise<CallReservation> {
  const reserved = await reserveCall(deps, budgetInputOf(options, inputBytes, request.maxOutputTokens));
  if (!reserved.ok) {
    deps.metrics.budgetRefusals.inc({ scope: reserved.scope });
    throw reserved.error;
  }
  return reserved.reservation;
}

/**
 * A call's reservation made in advance, in the caller's transaction (a chat turn's first call is reserved
 * in the transaction that stores the user's message: one commit fewer per turn), or its refusal — thrown
 * by the call that takes it, exactly where reserveOrThrow would have thrown it.
 */
export type AdvanceReservation =
  | { ok: true; reservation: CallReservation; inputBytes: number; taken: boolean }
  | { ok: false; scope: 'tenant' | 'user'; error: AppError; taken: boolean };

/** Reserves `request`'s worst case inside `trx`, for budgetedStream to take later. */
export async function reserveInAdvance(
  deps: CallDeps,
  trx: Transaction<Database>,
  options: { scope: CallScope; target: Omit<CallTarget, 'client'>; budget: BudgetSettings },
  request: Pick<ModelCallRequest, 'system' | 'messages' | 'tools' | 'maxOutputTokens'>,
): Promise<AdvanceReservation> {
  const inputBytes = inputUtf8BytesOf(request);
  const reserved = await reserveCallIn(deps, trx, { ...budgetInputOf(options, inputBytes, request.maxOutputTokens), settings: options.budget });
  return reserved.ok ? { ok: true, reservation: reserved.reservation, inputBytes, taken: false } : { ok: false, scope: reserved.scope, error: reserved.error, taken: false };
}

/** Returns an advance reservation no call took (the turn failed before its first call). */
export async function releaseUntaken(deps: CallDeps, advance: AdvanceReservation | null): Promise<void> {
  if (advance === null || advance.taken || !advance.ok) return;
  advance.taken = true;
  await releaseCall(deps, advance.reservation);
}

function takeAdvance(deps: CallDeps, advance: AdvanceReservation): { reservation: CallReservation; inputBytes: number } {
  if (advance.taken) throw new Error('an advance reservation is taken once');
  advance.taken = true;
  if (!advance.ok) {
    deps.metrics.budgetRefusals.inc({ scope: advance.scope });
    throw advance.error;
  }
  return { reservation: advance.reservation, inputBytes: advance.inputBytes };
}

interface Outcome {
  usage: Usage | null;
  /** True once the provider produced output (it billed the call). */
  producedOutput: boolean;
  outputBytes: number;
  error: unknown;
}

/**
 * Settles (or releases) the call and commits its record in the same transaction. `first` runs first in that
 * transaction: the chat's final answer row and lease release (see DeferredSettlement). Lock order stays
 * session → tenant → user: the record and `first` write the session's rows, the ledger rows come after.
 */
async function closeCall(
  deps: CallDeps,
  options: CallOptions,
  reservation: CallReservation,
  at: Date,
  durationMs: number,
  inputBytes: number,
  outcome: Outcome,
  first?: AlsoInTransaction,
): Promise<Usage> {
  const failed = outcome.error !== undefined;
  let usage = outcome.usage;
  let estimated = false;
  if (usage === null) {
    if (outcome.producedOutput) {
      usage = estimatedUsage(inputBytes, outcome.outputBytes);
      estimated = true;
    } else {
      usage = { inputTokens: 0, outputTokens: 0 };
    }
  }
  const used = usage;
  const record = (costMicros: number, estimatedCost: boolean): ModelCallRecord => ({
    flow: options.flow,
    at,
    durationMs,
    outcome: failed ? 'error' : 'success',
    providerKind: options.target.kind,
    model: options.target.model,
    inputTokens: used.inputTokens,
    outputTokens: used.outputTokens,
    costMicros,
    estimated: estimatedCost,
    errorCode: failed ? errorCodeOf(outcome.error) : null,
  });
  // The call's record commits in the settlement's transaction: one commit per call instead of two.
  let costMicros = 0;
  if (usage.inputTokens === 0 && usage.outputTokens === 0) {
    await releaseCall(deps, reservation, async (trx) => {
      await recordModelCallIn(trx, options.scope, record(0, estimated));
      if (first) await first(trx);
    });
  } else {
    const settled = await settleCall(deps, reservation, usage, async (trx, settled) => {
      await recordModelCallIn(trx, options.scope, record(settled.costMicros, estimated || settled.estimated));
      if (first) await first(trx);
    });
    costMicros = settled.costMicros;
  }
  observeModelCall(deps.metrics, record(costMicros, estimated), durationMs);
  return usage;
}

/** The recorded call, in the Prometheus metrics too (GET /metrics). */
function observeModelCall(metrics: CallDeps['metrics'], call: ModelCallRecord, durationMs: number): void {
  const provider = call.providerKind;
  metrics.modelCalls.inc({ provider, model: call.model, flow: call.flow, outcome: call.outcome, code: call.errorCode ?? '' });
  metrics.modelCallDuration.observe({ provider, flow: call.flow }, durationMs / 1000);
  if (call.inputTokens > 0) metrics.modelTokens.inc({ provider, model: call.model, direction: 'input' }, call.inputTokens);
  if (call.outputTokens > 0) metrics.modelTokens.inc({ provider, model: call.model, direction: 'output' }, call.outputTokens);
  if (call.costMicros > 0) metrics.modelCostUsd.inc({ provider, model: call.model }, call.costMicros / 1e6);
}

/** Receives a call's events as they arrive; a promise it returns (the client's socket pushing back) is awaited. */
export type CallEventHandler = (event: ModelStreamEvent) => Promise<void> | void;

/**
 * A call that finished cleanly but whose settlement and record were left to the caller, so that they commit
 * with the caller's own last write (a chat turn's final answer row: one commit fewer per turn, issue 8).
 */
export interface DeferredSettlement {
  /**
   * Settles and records the call, running `first` in the same transaction after the record. Throws if that
   * transaction fails (nothing of it committed; commit again). Once committed, later calls do nothing.
   */
  commit(first?: AlsoInTransaction): Promise<void>;
  readonly committed: boolean;
}

/** Commits a deferred settlement on its own, logging a failure as an undeferred call's would be. */
export async function commitAlone(deps: CallDeps, settlement: DeferredSettlement | null, sessionId: string): Promise<void> {
  if (settlement === null || settlement.committed) return;
  await settlement.commit().catch((error: unknown) => deps.logger.error({ err: error, sessionId }, 'could not record a model call'));
}

/**
 * Streams one budgeted, recorded call into `onEvent` (a callback, not a generator: no extra async hop per
 * chunk between the provider client and the sink). A refusal (402 budget_exhausted) is thrown before any
 * event. `advance`: this call's reservation, made in advance for exactly this request (reserveInAdvance).
 * With `deferSettlement`, a call that finished cleanly is returned unsettled (the caller must commit it);
 * any other call is settled before this returns, and null is returned.
 */
export async function budgetedStream(
  deps: CallDeps,
  options: CallOptions,
  request: ModelCallRequest,
  onEvent: CallEventHandler,
  extra: { advance?: AdvanceReservation | undefined; deferSettlement?: boolean } = {},
): Promise<DeferredSettlement | null> {
  let inputBytes: number;
  let reservation: CallReservation;
  if (extra.advance) ({ inputBytes, reservation } = takeAdvance(deps, extra.advance));
  else {
    inputBytes = inputUtf8BytesOf(request);
    reservation = await reserveOrThrow(deps, options, request, inputBytes);
  }
  const at = deps.clock.now();
  const startedMs = performance.now();
  const outcome: Outcome = { usage: null, producedOutput: false, outputBytes: 0, error: undefined };
  let finished = false;
  let durationMs = 0;
  let deferred = false;
  try {
    await options.target.client.streamTo(request, (event) => {
      if (event.type === 'finish') {
        outcome.usage = event.usage;
        finished = true;
      } else {
        outcome.producedOutput = true;
        outcome.outputBytes += Buffer.byteLength(event.type === 'text-delta' ? event.text : JSON.stringify(event.input ?? null));
      }
      return onEvent(event);
    });
  } catch (error) {
    outcome.error = error;
    throw error;
  } finally {
    if (!finished && outcome.error === undefined) outcome.error = request.signal?.aborted ? request.signal.reason : new ClientGone();
    durationMs = performance.now() - startedMs;
    deferred = extra.deferSettlement === true && finished && outcome.error === undefined;
    if (!deferred) {
      await closeCall(deps, options, reservation, at, durationMs, inputBytes, outcome).catch((error: unknown) =>
        deps.logger.error({ err: error, sessionId: options.scope.sessionId }, 'could not record a model call'),
      );
    }
  }
  if (!deferred) return null;
  let committed = false;
  return {
    get committed() {
      return committed;
    },
    async commit(first?: AlsoInTransaction) {
      if (committed) return;
      await closeCall(deps, options, reservation, at, durationMs, inputBytes, outcome, first);
      committed = true;
    },
  };
}

/** One whole budgeted, recorded call (the cheap flows). */
export async function budgetedGenerate(deps: CallDeps, options: CallOptions, request: ModelCallRequest): Promise<ModelCallResult> {
  const inputBytes = inputUtf8BytesOf(request);
  const reservation = await reserveOrThrow(deps, options, request, inputBytes);
  const at = deps.clock.now();
  const startedMs = performance.now();
  try {
    const result = await options.target.client.generate(request);
    await closeCall(deps, options, reservation, at, performance.now() - startedMs, inputBytes, { usage: result.usage, producedOutput: true, outputBytes: 0, error: undefined });
    return result;
  } catch (error) {
    await closeCall(deps, options, reservation, at, performance.now() - startedMs, inputBytes, { usage: null, producedOutput: false, outputBytes: 0, error }).catch(
      (recordError: unknown) => deps.logger.error({ err: recordError }, 'could not record a model call'),
    );
    throw error;
  }
}
