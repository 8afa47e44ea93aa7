// Budget reservations: before a model call its worst-case cost is reserved; after it the real cost is
// settled and the rest released. A reservation that would cross a budget is refused, so the monthly
// spend can never exceed the budget, however many calls run at once and however many Mosaic instances
// share the database.
//
// Why this holds: each scope's check-and-add is ONE conditional UPDATE
//   SET reserved_micros = reserved_micros + x WHERE … AND spent_micros + reserved_micros + x <= budget
// On PostgreSQL (READ COMMITTED) a concurrent UPDATE of the same row waits for the row lock and then
// re-evaluates the WHERE against the newly committed row version (EvalPlanQual), so two reservations can
// never both pass on a stale total. On SQLite the writer lock serialises the statements outright. Both
// scopes and the reservation row commit in one transaction: a refused user scope rolls back the tenant
// scope's reservation. Rows are always locked tenant first, then user, so transactions cannot deadlock.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';

type DbOrTx = Kysely<Database> | Transaction<Database>;

/** The ledger scope of the tenant-wide budget; every other scope is a user id. */
export const TENANT_SCOPE = 'tenant';

/** 'YYYY-MM' in UTC: the budget month a moment belongs to. */
export const budgetMonth = (now: Date): string => now.toISOString().slice(0, 7);

export interface ReserveInput {
  tenantId: string;
  userId: string;
  month: string;
  amountMicros: number;
  /** null = no tenant budget (spend is still recorded). */
  tenantBudgetMicros: number | null;
  /** null = no per-user budget. */
  userBudgetMicros: number | null;
  now: Date;
}

export type ReserveResult = { ok: true; reservationId: string } | { ok: false; scope: 'tenant' | 'user' };

class Refused extends Error {
  readonly scope: 'tenant' | 'user';
  constructor(scope: 'tenant' | 'user') {
    super(`budget refused (${scope})`);
    this.scope = scope;
  }
}

/** Reserves a call's worst-case cost against the tenant's and the user's monthly budgets, or refuses. */
export async function reserve(db: Kysely<Database>, input: ReserveInput): Promise<ReserveResult> {
  const amount = Math.max(0, Math.ceil(input.amountMicros));
  const known = ledgerRowsKnown(db, input);
  if (!known) await ensureLedgerRows(db, input.tenantId, input.userId, input.month);
  const result = await reserveInTransaction(db, input, amount);
  if (result.ok) {
    rememberLedgerRows(db, input);
    return result;
  }
  // Skipping the upsert assumed the rows exist; a refusal may instead mean they are gone (a deleted
  // tenant's rows, another process's reset): make sure once, and ask again. Refusals are rare.
  if (known) {
    forgetLedgerRows(db, input);
    await ensureLedgerRows(db, input.tenantId, input.userId, input.month);
    return reserveInTransaction(db, input, amount);
  }
  return result;
}

async function reserveInTransaction(db: Kysely<Database>, input: ReserveInput, amount: number): Promise<ReserveResult> {
  const reservationId = newId();
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await addReservation(trx, input.tenantId, TENANT_SCOPE, input.month, amount, input.tenantBudgetMicros))) {
        throw new Refused('tenant');
      }
      if (!(await addReservation(trx, input.tenantId, input.userId, input.month, amount, input.userBudgetMicros))) {
        throw new Refused('user');
      }
      await trx
        .insertInto('budget_reservations')
        .values({
          id: reservationId,
          tenant_id: input.tenantId,
          user_id: input.userId,
          month: input.month,
          amount_micros: amount,
          created_at: input.now.toISOString(),
          settled_at: null,
        })
        .execute();
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, scope: error.scope };
    throw error;
  }
  return { ok: true, reservationId };
}

// The month's ledger rows exist after a scope's first reservation, and ledger rows are never deleted by
// the chat: upserting them before every reservation cost a write per model call. Each database handle
// remembers the (tenant, user, month) it has seen reserve successfully; bounded, since a forgotten entry
// only costs one upsert.
const MAX_KNOWN_LEDGERS = 100_000;
const knownLedgers = new WeakMap<Kysely<Database>, Set<string>>();
const ledgerKey = (input: Pick<ReserveInput, 'tenantId' | 'userId' | 'month'>) => `${input.tenantId}|${input.userId}|${input.month}`;

function ledgerRowsKnown(db: Kysely<Database>, input: ReserveInput): boolean {
  return knownLedgers.get(db)?.has(ledgerKey(input)) ?? false;
}

function rememberLedgerRows(db: Kysely<Database>, input: ReserveInput): void {
  let known = knownLedgers.get(db);
  if (!known) knownLedgers.set(db, (known = new Set()));
  if (known.size >= MAX_KNOWN_LEDGERS) known.clear();
  known.add(ledgerKey(input));
}

function forgetLedgerRows(db: Kysely<Database>, input: ReserveInput): void {
  knownLedgers.get(db)?.delete(ledgerKey(input));
}

async function ensureLedgerRows(db: Kysely<Database>, tenantId: string, userId: string, month: string): Promise<void> {
  await db
    .insertInto('budget_ledger')
    .values([TENANT_SCOPE, userId].map((scope) => ({ tenant_id: tenantId, scope, month, spent_micros: 0, reserved_micros: 0 })))
    .onConflict((oc) => oc.columns(['tenant_id', 'scope', 'month']).doNothing())
    .execute();
}

// The one atomic check-and-add (see the header comment). Returns false when the budget refuses it.
async function addReservation(
  trx: Transaction<Database>,
  tenantId: string,
  scope: string,
  month: string,
  amount: number,
  budget: number | null,
): Promise<boolean> {
  let update = trx
    .updateTable('budget_ledger')
    .set({ reserved_micros: sql<number>`reserved_micros + ${amount}` })
    .where('tenant_id', '=', tenantId)
    .where('scope', '=', scope)
    .where('month', '=', month);
  if (budget !== null) update = update.where(sql<boolean>`spent_micros + reserved_micros + ${amount} <= ${budget}`);
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface SettleResult {
  /** False when the reservation was already settled or released (settling twice counts once). */
  settled: boolean;
  tenantId: string | null;
  userId: string | null;
  month: string | null;
  /** The tenant's spend this month after this settlement (for budget alerts); null when not settled. */
  tenantSpentMicros: number | null;
}

const NOT_SETTLED: SettleResult = { settled: false, tenantId: null, userId: null, month: null, tenantSpentMicros: null };

/**
 * Moves a reservation to spent at its real cost and releases the rest. The real cost is recorded even
 * when it exceeds the reservation (only possible if a worst-case bound was wrong): that is logged as a
 * warning, never hidden. Idempotent.
 */
export async function settle(
  db: Kysely<Database>,
  reservationId: string,
  actualMicros: number,
  now: Date,
  options: { logger?: Logger; alsoInTransaction?: AlsoInTransaction } = {},
): Promise<SettleResult> {
  const actual = Math.max(0, Math.ceil(actualMicros));
  const result = await closeReservation(db, reservationId, actual, now, options.alsoInTransaction);
  if (result.settled && result.overrunMicros > 0) {
    options.logger?.warn(
      { reservationId, tenantId: result.tenantId, reservedMicros: actual - result.overrunMicros, actualMicros: actual },
      'a model call cost more than its reserved worst case; the real cost was recorded',
    );
  }
  return {
    settled: result.settled,
    tenantId: result.tenantId,
    userId: result.userId,
    month: result.month,
    tenantSpentMicros: result.tenantSpentMicros,
  };
}

/** Returns a reservation unspent (the call never reached the provider). Idempotent. */
export async function release(db: Kysely<Database>, reservationId: string, now: Date = new Date(), alsoInTransaction?: AlsoInTransaction): Promise<boolean> {
  return (await closeReservation(db, reservationId, 0, now, alsoInTransaction)).settled;
}

/**
 * More writes that commit with a settlement (the model-call record): one transaction instead of two is
 * one commit fewer per model call. Runs whether or not the reservation was still open.
 */
export type AlsoInTransaction = (trx: Transaction<Database>) => Promise<void>;

async function closeReservation(
  db: Kysely<Database>,
  reservationId: string,
  actual: number,
  now: Date,
  also?: AlsoInTransaction,
): Promise<SettleResult & { overrunMicros: number }> {
  return db.transaction().execute(async (trx) => {
    const result = await closeReservationIn(trx, reservationId, actual, now);
    if (also) await also(trx);
    return result;
  });
}

async function closeReservationIn(
  trx: Transaction<Database>,
  reservationId: string,
  actual: number,
  now: Date,
): Promise<SettleResult & { overrunMicros: number }> {
  // The guard on settled_at makes a second settle (or a settle racing the sweeper) a no-op.
  const closed = await trx
    .updateTable('budget_reservations')
    .set({ settled_at: now.toISOString() })
    .where('id', '=', reservationId)
    .where('settled_at', 'is', null)
    .returning(['tenant_id', 'user_id', 'month', 'amount_micros'])
    .executeTakeFirst();
  if (!closed) return { ...NOT_SETTLED, overrunMicros: 0 };
  const tenantRow = await moveToSpent(trx, closed.tenant_id, TENANT_SCOPE, closed.month, closed.amount_micros, actual);
  await moveToSpent(trx, closed.tenant_id, closed.user_id, closed.month, closed.amount_micros, actual);
  return {
    settled: true,
    tenantId: closed.tenant_id,
    userId: closed.user_id,
    month: closed.month,
    tenantSpentMicros: tenantRow?.spent_micros ?? null,
    overrunMicros: Math.max(0, actual - Number(closed.amount_micros)),
  };
}

async function moveToSpent(trx: DbOrTx, tenantId: string, scope: string, month: string, reserved: number, actual: number) {
  return trx
    .updateTable('budget_ledger')
    .set({
      reserved_micros: sql<number>`reserved_micros - ${reserved}`,
      spent_micros: sql<number>`spent_micros + ${actual}`,
    })
    .where('tenant_id', '=', tenantId)
    .where('scope', '=', scope)
    .where('month', '=', month)
    .returning(['spent_micros'])
    .executeTakeFirst();
}

/** Releases reservations older than `olderThan` that were never settled (their process crashed). */
export async function sweepStaleReservations(db: Kysely<Database>, olderThan: Date, now: Date = new Date()): Promise<number> {
  const stale = await db
    .selectFrom('budget_reservations')
    .select('id')
    .where('settled_at', 'is', null)
    .where('created_at', '<', olderThan.toISOString())
    .execute();
  let released = 0;
  for (const { id } of stale) if (await release(db, id, now)) released++;
  return released;
}

export interface LedgerState {
  spentMicros: number;
  reservedMicros: number;
}

/** A scope's spend and open reservations for a month (zeros when nothing was recorded). */
export async function readLedger(db: DbOrTx, tenantId: string, scope: string, month: string): Promise<LedgerState> {
  const row = await db
    .selectFrom('budget_ledger')
    .select(['spent_micros', 'reserved_micros'])
    .where('tenant_id', '=', tenantId)
    .where('scope', '=', scope)
    .where('month', '=', month)
    .executeTakeFirst();
  return { spentMicros: Number(row?.spent_micros ?? 0), reservedMicros: Number(row?.reserved_micros ?? 0) };
}
