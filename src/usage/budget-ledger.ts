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
// scopes and the reservation row commit in one transaction: a refused user scope takes the tenant scope's
// amount back in it (the caller's transaction may go on and commit: the chat's exchange does). Rows are always locked tenant first, then user (and a chat session's row, when a
// transaction also writes one, before both), so transactions cannot deadlock.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { preparedQuery } from '../db/prepared-query.ts';
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

/** Reserves a call's worst-case cost against the tenant's and the user's monthly budgets, or refuses. */
export async function reserve(db: Kysely<Database>, input: ReserveInput): Promise<ReserveResult> {
  return db.transaction().execute((trx) => reserveIn(trx, input));
}

/**
 * reserve() inside the caller's transaction (the chat reserves a turn's first call in the transaction
 * that stores the user's message: one commit fewer per turn). Still ONE conditional UPDATE per scope; a
 * refused user scope takes the tenant scope's amount back in the same transaction, so nobody ever sees
 * it (PostgreSQL holds the row lock until commit; SQLite has one writer).
 */
export async function reserveIn(trx: Transaction<Database>, input: ReserveInput): Promise<ReserveResult> {
  const amount = Math.max(0, Math.ceil(input.amountMicros));
  const known = ledgerRowsKnown(trx, input);
  if (!known) await ensureLedgerRows(trx, input.tenantId, input.userId, input.month);
  const result = await addReservations(trx, input, amount);
  if (result.ok) {
    rememberLedgerRows(trx, input);
    return result;
  }
  // Skipping the upsert assumed the rows exist; a refusal may instead mean they are gone (a deleted
  // tenant's rows, another process's reset): make sure once, and ask again. Refusals are rare.
  if (known) {
    forgetLedgerRows(trx, input);
    await ensureLedgerRows(trx, input.tenantId, input.userId, input.month);
    return addReservations(trx, input, amount);
  }
  return result;
}

async function addReservations(trx: Transaction<Database>, input: ReserveInput, amount: number): Promise<ReserveResult> {
  if (!(await addReservation(trx, input.tenantId, TENANT_SCOPE, input.month, amount, input.tenantBudgetMicros))) {
    return { ok: false, scope: 'tenant' };
  }
  if (!(await addReservation(trx, input.tenantId, input.userId, input.month, amount, input.userBudgetMicros))) {
    await takeBack.execute(trx, { amount, tenantId: input.tenantId, scope: TENANT_SCOPE, month: input.month });
    return { ok: false, scope: 'user' };
  }
  const reservationId = newId();
  await insertReservation.execute(trx, {
    id: reservationId,
    tenantId: input.tenantId,
    userId: input.userId,
    month: input.month,
    amount,
    createdAt: input.now.toISOString(),
  });
  return { ok: true, reservationId };
}

// The month's ledger rows exist after a scope's first reservation, and ledger rows are never deleted by
// the chat: upserting them before every reservation cost a write per model call. Each database (keyed by
// its dialect adapter, which its transactions share) remembers the (tenant, user, month) it has seen
// reserve successfully; bounded, since a forgotten entry only costs one upsert.
const MAX_KNOWN_LEDGERS = 100_000;
const knownLedgers = new WeakMap<object, Set<string>>();
const ledgerKey = (input: Pick<ReserveInput, 'tenantId' | 'userId' | 'month'>) => `${input.tenantId}|${input.userId}|${input.month}`;
const databaseOf = (db: DbOrTx): object => db.getExecutor().adapter;

function ledgerRowsKnown(db: DbOrTx, input: ReserveInput): boolean {
  return knownLedgers.get(databaseOf(db))?.has(ledgerKey(input)) ?? false;
}

function rememberLedgerRows(db: DbOrTx, input: ReserveInput): void {
  let known = knownLedgers.get(databaseOf(db));
  if (!known) knownLedgers.set(databaseOf(db), (known = new Set()));
  if (known.size >= MAX_KNOWN_LEDGERS) known.clear();
  known.add(ledgerKey(input));
}

function forgetLedgerRows(db: DbOrTx, input: ReserveInput): void {
  knownLedgers.get(databaseOf(db))?.delete(ledgerKey(input));
}

async function ensureLedgerRows(db: DbOrTx, tenantId: string, userId: string, month: string): Promise<void> {
  await db
    .insertInto('budget_ledger')
    .values([TENANT_SCOPE, userId].map((scope) => ({ tenant_id: tenantId, scope, month, spent_micros: 0, reserved_micros: 0 })))
    .onConflict((oc) => oc.columns(['tenant_id', 'scope', 'month']).doNothing())
    .execute();
}

// The hot statements are compiled once (db/prepared-query.ts); the check is a bound parameter, not SQL.
type ScopeArgs = { amount: number; tenantId: string; scope: string; month: string };
const addWithin = preparedQuery<ScopeArgs & { budget: number }, never>((db, p) =>
  db
    .updateTable('budget_ledger')
    .set({ reserved_micros: sql<number>`reserved_micros + ${p('amount')}` })
    .where('tenant_id', '=', p('tenantId'))
    .where('scope', '=', p('scope'))
    .where('month', '=', p('month'))
    .where(sql<boolean>`spent_micros + reserved_micros + ${p('amount')} <= ${p('budget')}`),
);
const addUnlimited = preparedQuery<ScopeArgs, never>((db, p) =>
  db
    .updateTable('budget_ledger')
    .set({ reserved_micros: sql<number>`reserved_micros + ${p('amount')}` })
    .where('tenant_id', '=', p('tenantId'))
    .where('scope', '=', p('scope'))
    .where('month', '=', p('month')),
);
const takeBack = preparedQuery<ScopeArgs, never>((db, p) =>
  db
    .updateTable('budget_ledger')
    .set({ reserved_micros: sql<number>`reserved_micros - ${p('amount')}` })
    .where('tenant_id', '=', p('tenantId'))
    .where('scope', '=', p('scope'))
    .where('month', '=', p('month')),
);
const insertReservation = preparedQuery<{ id: string; tenantId: string; userId: string; month: string; amount: number; createdAt: string }, never>((db, p) =>
  db.insertInto('budget_reservations').values({
    id: p('id'),
    tenant_id: p('tenantId'),
    user_id: p('userId'),
    month: p('month'),
    amount_micros: p('amount'),
    created_at: p('createdAt'),
    settled_at: null,
  }),
);

// The one atomic check-and-add (see the header comment). Returns false when the budget refuses it.
async function addReservation(trx: Transaction<Database>, tenantId: string, scope: string, month: string, amount: number, budget: number | null): Promise<boolean> {
  const args = { amount, tenantId, scope, month };
  const result = budget === null ? await addUnlimited.execute(trx, args) : await addWithin.execute(trx, { ...args, budget });
  return result.numAffectedRows === 1n;
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
    // `also` first: the chat's call record updates the session's row, and a turn's exchange locks that
    // row before the ledger rows (it reserves the first call in the same transaction). One lock order
    // everywhere — session, then tenant, then user — so the two can never deadlock on PostgreSQL.
    if (also) await also(trx);
    return closeReservationIn(trx, reservationId, actual, now);
  });
}

async function closeReservationIn(
  trx: Transaction<Database>,
  reservationId: string,
  actual: number,
  now: Date,
): Promise<SettleResult & { overrunMicros: number }> {
  // The guard on settled_at makes a second settle (or a settle racing the sweeper) a no-op.
  const [closed] = (await closeOpen.execute(trx, { settledAt: now.toISOString(), id: reservationId })).rows;
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

const closeOpen = preparedQuery<{ settledAt: string; id: string }, { tenant_id: string; user_id: string; month: string; amount_micros: number }>((db, p) =>
  db
    .updateTable('budget_reservations')
    .set({ settled_at: p('settledAt') })
    .where('id', '=', p('id'))
    .where('settled_at', 'is', null)
    .returning(['tenant_id', 'user_id', 'month', 'amount_micros']),
);

const toSpent = preparedQuery<{ reserved: number; actual: number; tenantId: string; scope: string; month: string }, { spent_micros: number }>((db, p) =>
  db
    .updateTable('budget_ledger')
    .set({
      reserved_micros: sql<number>`reserved_micros - ${p('reserved')}`,
      spent_micros: sql<number>`spent_micros + ${p('actual')}`,
    })
    .where('tenant_id', '=', p('tenantId'))
    .where('scope', '=', p('scope'))
    .where('month', '=', p('month'))
    .returning(['spent_micros']),
);

async function moveToSpent(trx: DbOrTx, tenantId: string, scope: string, month: string, reserved: number, actual: number) {
  return (await toSpent.execute(trx, { reserved, actual, tenantId, scope, month })).rows[0];
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
