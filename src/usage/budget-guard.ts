// The budget around one model call, for the chat: reserve the call's worst-case cost before it is sent
// (refusing it with budget_exhausted when that would cross a budget), settle its real cost after, and
// raise the budget alerts the settlement crosses. Alerts and webhooks never delay the answer.
import type { AppContext } from '../app-context.ts';
import { priceFor, type ModelPrice } from '../providers/catalog/model-catalog.ts';
import type { ModelCallRequest, ProviderKind } from '../providers/provider.ts';
import { AppError } from '../server/errors.ts';
import { raiseBudgetAlerts } from './budget-alerts.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { budgetMonth, readLedger, release, reserveIn, settle, TENANT_SCOPE, type AlsoInTransaction } from './budget-ledger.ts';
import { readBudgetSettings, type BudgetSettings } from './limits.ts';
import { costMicros, worstCaseMicros, type TokenUsage } from './pricing.ts';

export type BudgetDeps = Pick<AppContext, 'db' | 'logger' | 'clock' | 'config' | 'vault'>;

export interface CallBudgetInput {
  tenantId: string;
  userId: string;
  kind: ProviderKind;
  /** The model name sent to the provider (Azure: the deployment). */
  model: string;
  azureModelOf?: Record<string, string> | null;
  /** UTF-8 byte length of the whole input sent (system, messages, tool definitions). */
  inputUtf8Bytes: number;
  maxOutputTokens: number;
  /** The tenant's settings when the caller already holds them (saves a query). */
  settings?: BudgetSettings;
}

export interface CallReservation {
  reservationId: string;
  tenantId: string;
  month: string;
  price: ModelPrice;
  reservedMicros: number;
  tenantBudgetMicros: number | null;
  alertAtPct: number | null;
}

export type ReserveCallResult = { ok: true; reservation: CallReservation } | { ok: false; scope: 'tenant' | 'user'; error: AppError };

/**
 * The UTF-8 size of everything a call sends as input. JSON keeps non-ASCII characters as they are and only
 * adds syntax, so this is at least the bytes of the text itself: a safe bound for worstCaseMicros.
 */
export function inputUtf8BytesOf(request: Pick<ModelCallRequest, 'system' | 'messages' | 'tools'>): number {
  // The size of JSON.stringify({system, messages, tools}), in parts: the tool definitions are the same
  // array turn after turn (chat-tools.ts keeps one per dataset), so their size is measured once.
  const tools = request.tools ?? NO_TOOLS;
  let toolBytes = toolBytesOf.get(tools);
  if (toolBytes === undefined) {
    toolBytes = Buffer.byteLength(JSON.stringify(tools), 'utf8');
    toolBytesOf.set(tools, toolBytes);
  }
  return WRAPPER_BYTES + Buffer.byteLength(JSON.stringify(request.system ?? ''), 'utf8') + Buffer.byteLength(JSON.stringify(request.messages), 'utf8') + toolBytes;
}

const NO_TOOLS: NonNullable<ModelCallRequest['tools']> = [];
const toolBytesOf = new WeakMap<object, number>();
/** `{"system":` + `,"messages":` + `,"tools":` + `}`. */
const WRAPPER_BYTES = '{"system":,"messages":,"tools":}'.length;

/** 402 budget_exhausted, as the chat answers a call the budget refuses. */
export function budgetExhausted(scope: 'tenant' | 'user'): AppError {
  return scope === 'tenant'
    ? new AppError(402, 'budget_exhausted', "This month's AI budget for your organisation is used up.", {
        hint: 'Ask your Tenant Admin to raise the monthly budget in Admin → Usage & limits.',
      })
    : new AppError(402, 'budget_exhausted', 'Your monthly AI budget is used up.', {
        hint: 'Ask your Tenant Admin to raise the per-user monthly budget in Admin → Usage & limits.',
      });
}

/** Reserves a model call's worst-case cost; refuses it when a budget cannot hold it. */
export async function reserveCall(deps: BudgetDeps, input: CallBudgetInput): Promise<ReserveCallResult> {
  const settings = input.settings ?? (await readBudgetSettings(deps.db, input.tenantId));
  return deps.db.transaction().execute((trx) => reserveCallIn(deps, trx, { ...input, settings }));
}

/**
 * reserveCall inside the caller's transaction (the chat reserves a turn's first call in the transaction
 * that stores the user's message). The settings must be given: reading them here would be one more
 * statement under the transaction's locks.
 */
export async function reserveCallIn(deps: BudgetDeps, trx: Transaction<Database>, input: CallBudgetInput & { settings: BudgetSettings }): Promise<ReserveCallResult> {
  const settings = input.settings;
  const price = priceFor({ kind: input.kind, model: input.model, azureModelOf: input.azureModelOf ?? null });
  const amount = worstCaseMicros({ inputUtf8Bytes: input.inputUtf8Bytes, maxOutputTokens: input.maxOutputTokens }, price);
  const now = deps.clock.now();
  const month = budgetMonth(now);
  const result = await reserveIn(trx, {
    tenantId: input.tenantId,
    userId: input.userId,
    month,
    amountMicros: amount,
    tenantBudgetMicros: settings.tenantBudgetMicros,
    userBudgetMicros: settings.userBudgetMicros,
    now,
  });
  if (!result.ok) {
    if (result.scope === 'tenant') {
      // Read in the transaction: the database handle itself may be waiting for this transaction (SQLite).
      const { spentMicros: spent } = await readLedger(trx, input.tenantId, TENANT_SCOPE, month);
      alertInBackground(deps, { tenantId: input.tenantId, month, spentMicros: spent, refused: true });
    }
    return { ok: false, scope: result.scope, error: budgetExhausted(result.scope) };
  }
  return {
    ok: true,
    reservation: {
      reservationId: result.reservationId,
      tenantId: input.tenantId,
      month,
      price,
      reservedMicros: amount,
      tenantBudgetMicros: settings.tenantBudgetMicros,
      alertAtPct: settings.alertAtPct,
    },
  };
}

export interface SettledCall {
  costMicros: number;
  /** True when the model was priced at its provider's highest price (not in the catalog). */
  estimated: boolean;
}

/**
 * Settles the call's real cost (from the provider's usage) and raises any alert it crosses. `also` runs
 * in the settlement's transaction, told the settled cost (the call's record commits with it).
 */
export async function settleCall(
  deps: BudgetDeps,
  reservation: CallReservation,
  usage: TokenUsage,
  also?: (trx: Parameters<AlsoInTransaction>[0], settled: SettledCall) => Promise<void>,
): Promise<SettledCall> {
  const cost = costMicros(usage, reservation.price);
  const settled: SettledCall = { costMicros: cost, estimated: reservation.price.estimated };
  const result = await settle(deps.db, reservation.reservationId, cost, deps.clock.now(), {
    logger: deps.logger,
    ...(also ? { alsoInTransaction: (trx) => also(trx, settled) } : {}),
  });
  const budget = reservation.tenantBudgetMicros;
  const spent = result.tenantSpentMicros;
  if (result.settled && budget !== null && spent !== null) {
    const lowest = Math.min(reservation.alertAtPct ?? 100, 100);
    if (spent > 0 && spent * 100 >= lowest * budget) {
      alertInBackground(deps, { tenantId: reservation.tenantId, month: reservation.month, spentMicros: spent });
    }
  }
  return settled;
}

/**
 * Returns an unused reservation: only when the call failed before the provider billed anything. A call that
 * failed mid-stream is settled with whatever usage is known instead.
 */
export async function releaseCall(deps: BudgetDeps, reservation: CallReservation, also?: AlsoInTransaction): Promise<void> {
  await release(deps.db, reservation.reservationId, deps.clock.now(), also);
}

function alertInBackground(deps: BudgetDeps, check: Parameters<typeof raiseBudgetAlerts>[1]): void {
  raiseBudgetAlerts(deps, check).catch((error: unknown) => {
    deps.logger.error({ err: error, tenantId: check.tenantId }, 'budget alert check failed');
  });
}
