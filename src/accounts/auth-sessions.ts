// Cookie sign-in sessions. The cookie holds a random 32-byte token; the database holds only its SHA-256
// (as the row id) and the session's CSRF token. A session ends after 12 hours without use or 7 days after
// sign-in, whichever comes first, and stops working at once when its user is disabled.
import { isoNow } from '../clock.ts';
import type { Caller } from '../server/authorize.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import { hashCredential, randomCredential } from './token-hash.ts';
import { parseRoles, type AccountsDeps } from './users.ts';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
// Sliding the expiry writes to the database; once a minute is plenty and keeps reads read-only.
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface NewAuthSession {
  id: string;
  /** The cookie value: shown to the browser once, never stored. */
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createAuthSession(deps: AccountsDeps, user: { id: string; tenant_id: string }): Promise<NewAuthSession> {
  const token = randomCredential();
  const csrfToken = randomCredential();
  const now = deps.clock.now();
  const id = hashCredential(token);
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
  // Sweep this user's finished sessions so the table does not grow with every sign-in.
  await deps.db.deleteFrom('auth_sessions').where('user_id', '=', user.id).where('expires_at', '<=', now.toISOString()).execute();
  await deps.db
    .insertInto('auth_sessions')
    .values({ id, tenant_id: user.tenant_id, user_id: user.id, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt, last_seen_at: now.toISOString() })
    .execute();
  return { id, token, csrfToken, expiresAt };
}

/** The caller for a session cookie value, or null when it is unknown, expired, or its user is disabled. */
export async function resolveAuthSession(deps: AccountsDeps, token: string): Promise<Caller | null> {
  if (token.length === 0 || token.length > 200) return null;
  const id = hashCredential(token);
  const row = await deps.db
    .selectFrom('auth_sessions as s')
    .innerJoin('users as u', (join) => join.onRef('u.id', '=', 's.user_id').onRef('u.tenant_id', '=', 's.tenant_id'))
    .select(['s.id', 's.tenant_id', 's.user_id', 's.csrf_token', 's.created_at', 's.expires_at', 's.last_seen_at', 'u.email', 'u.roles', 'u.disabled'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row || row.disabled === 1) return null;
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const absoluteEnd = new Date(row.created_at).getTime() + SESSION_ABSOLUTE_MS;
  if (new Date(row.expires_at).getTime() <= nowMs || absoluteEnd <= nowMs) {
    await deleteAuthSession(deps.db, row.id);
    return null;
  }
  if (nowMs - new Date(row.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
    const expiresAt = new Date(Math.min(absoluteEnd, nowMs + SESSION_IDLE_MS)).toISOString();
    await deps.db.updateTable('auth_sessions').set({ last_seen_at: isoNow(deps.clock), expires_at: expiresAt }).where('id', '=', row.id).execute();
  }
  return {
    userId: row.user_id,
    tenantId: row.tenant_id,
    email: row.email,
    roles: parseRoles(row.roles),
    via: 'cookie',
    csrfToken: row.csrf_token,
    authSessionId: row.id,
  };
}

export async function deleteAuthSession(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('id', '=', id).execute();
}
