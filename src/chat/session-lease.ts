// The session_busy lease, held in the database (chat_sessions.lease_owner / lease_expires_at) so that it
// holds across several Mosaic instances: taken with one conditional UPDATE when free or expired, renewed
// while the answer is written, released at its end. A crashed instance stops renewing, so its lease runs
// out (and recover-interrupted.ts marks its answer interrupted) instead of blocking the session forever.
import type { ExpressionBuilder } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { conflict, type AppError } from '../server/errors.ts';
import { preparedQuery } from '../db/prepared-query.ts';

export type LeaseDeps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/** Lease length and renewal period; MOSAIC_CHAT_LEASE_SECONDS shortens them (tests, crash drills). */
export interface LeaseTiming {
  ttlMs: number;
  renewEveryMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 15_000, renewEveryMs: 5_000 };

export function leaseTimingFor(leaseSeconds: number | null | undefined): LeaseTiming {
  if (!leaseSeconds) return DEFAULT_LEASE_TIMING;
  const ttlMs = Math.round(leaseSeconds * 1000);
  return { ttlMs, renewEveryMs: Math.max(50, Math.floor(ttlMs / 3)) };
}

export function sessionBusy(): AppError {
  return conflict('An answer is still being written in this session; wait for it to finish.', 'session_busy');
}

export interface SessionLease {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly owner: string;
}

/** When a lease taken now runs out. */
export const leaseExpiry = (deps: Pick<LeaseDeps, 'clock'>, timing: LeaseTiming) => new Date(deps.clock.now().getTime() + timing.ttlMs).toISOString();

/** The condition under which a session's lease may be taken at `now`: free, or run out. */
export function leaseIsFree(eb: ExpressionBuilder<Database, 'chat_sessions'>, now: string) {
  return eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]);
}

/**
 * Takes the lease when it is free or expired; null when another writer holds it. (A chat turn takes it
 * inside startExchange's transaction instead, one commit fewer; this stands alone for other callers.)
 */
export async function acquireLease(deps: LeaseDeps, tenantId: string, sessionId: string, timing: LeaseTiming): Promise<SessionLease | null> {
  const owner = newId();
  const now = deps.clock.now().toISOString();
  const result = await deps.db
    .updateTable('chat_sessions')
    .set({ lease_owner: owner, lease_expires_at: leaseExpiry(deps, timing) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .where((eb) => leaseIsFree(eb, now))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? { sessionId, tenantId, owner } : null;
}

/** Extends the lease; false when it was lost (expired and taken by another writer). */
export async function renewLease(deps: LeaseDeps, lease: SessionLease, timing: LeaseTiming): Promise<boolean> {
  const result = await deps.db
    .updateTable('chat_sessions')
    .set({ lease_expires_at: leaseExpiry(deps, timing) })
    .where('tenant_id', '=', lease.tenantId)
    .where('id', '=', lease.sessionId)
    .where('lease_owner', '=', lease.owner)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

// Every turn ends with this (in the answer's final transaction): compiled once (db/prepared-query.ts).
const release = preparedQuery<{ now: string; tenantId: string; sessionId: string; owner: string }, never>((db, p) =>
  db
    .updateTable('chat_sessions')
    .set({ lease_owner: null, lease_expires_at: null, last_activity_at: p('now') })
    .where('tenant_id', '=', p('tenantId'))
    .where('id', '=', p('sessionId'))
    .where('lease_owner', '=', p('owner')),
);

/**
 * Frees the lease if this writer still holds it; also marks the session active now. `deps.db` may be a
 * transaction (the answer's final write and the release commit together).
 */
export async function releaseLease(deps: LeaseDeps, lease: SessionLease): Promise<void> {
  await release.execute(deps.db, { now: deps.clock.now().toISOString(), tenantId: lease.tenantId, sessionId: lease.sessionId, owner: lease.owner });
}
