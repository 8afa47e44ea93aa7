// Sign-in throttling (contract: 10 failures per account and 100 per client address in 15 minutes →
// 429 too_many_requests with retry-after). Failures live in the database, so the limit holds across
// several Mosaic instances; time comes from the injected Clock. An email with no account is counted
// like any other, so the limiter does not reveal which accounts exist.
import { newId } from '../ids.ts';
import { tooManyRequests } from '../server/errors.ts';
import { normalizeEmail, type AccountsDeps } from './users.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 100;

export interface LoginAttempt {
  email: string;
  /** The client address (request.ip: honours X-Forwarded-For only with MOSAIC_TRUST_PROXY=1). */
  address: string;
}

const accountKey = (email: string) => `account:${normalizeEmail(email)}`;
const addressKey = (address: string) => `ip:${address}`;

/** Throws 429 with retry-after when either limit is reached; otherwise returns. */
export async function assertLoginAllowed(deps: AccountsDeps, attempt: LoginAttempt): Promise<void> {
  const now = deps.clock.now().getTime();
  const waits = await Promise.all([
    secondsUntilAllowed(deps, accountKey(attempt.email), MAX_FAILURES_PER_ACCOUNT, now),
    secondsUntilAllowed(deps, addressKey(attempt.address), MAX_FAILURES_PER_ADDRESS, now),
  ]);
  const wait = Math.max(...waits);
  if (wait > 0) throw tooManyRequests(wait);
}

/** 0 when under the limit; else the seconds until the oldest counted failure leaves the window. */
async function secondsUntilAllowed(deps: AccountsDeps, key: string, limit: number, now: number): Promise<number> {
  const since = new Date(now - LOGIN_WINDOW_MS).toISOString();
  const rows = await deps.db
    .selectFrom('login_failures')
    .select('at')
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  if (rows.length < limit) return 0;
  const oldest = new Date(rows[rows.length - 1]!.at).getTime();
  return Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now) / 1000));
}

/** Counts a failed sign-in against the account and the address, and drops failures outside the window. */
export async function recordLoginFailure(deps: AccountsDeps, attempt: LoginAttempt): Promise<void> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  const keys = [accountKey(attempt.email), addressKey(attempt.address)];
  await deps.db.insertInto('login_failures').values(keys.map((key) => ({ id: newId(), key, at }))).execute();
  await deps.db.deleteFrom('login_failures').where('key', 'in', keys).where('at', '<=', cutoff).execute();
}

/** A successful sign-in clears the account's failures (the address keeps its count). */
export async function clearAccountFailures(deps: AccountsDeps, email: string): Promise<void> {
  await deps.db.deleteFrom('login_failures').where('key', '=', accountKey(email)).execute();
}
