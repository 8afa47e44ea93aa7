// Personal access tokens: `mosaic_pat_` + 32 random bytes, shown once at creation and stored only as a
// SHA-256. A token acts with its owner's rights (checked afresh on every request: a disabled owner or a
// removed role takes effect at once), may expire, and can be revoked.
import { writeAudit } from '../audit/audit-log.ts';
import { isoNow } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../ids.ts';
import { preparedQuery } from '../db/prepared-query.ts';
import type { Caller } from '../server/authorize.ts';
import { hashCredential, randomCredential } from './token-hash.ts';
import { parseRoles, type AccountsDeps } from './users.ts';
import type { AppContext } from '../app-context.ts';
import { configCacheFor } from '../ai-config/config-cache.ts';
import { inConfigTransaction } from '../ai-config/ai-config-transaction.ts';
import { apiTokenCacheFor, rememberToken, type CachedToken } from './api-token-cache.ts';

type TokenDeps = AccountsDeps & Pick<AppContext, 'pgPool' | 'logger'>;

export const TOKEN_PREFIX = 'mosaic_pat_';
const DAY_MS = 24 * 60 * 60 * 1000;
// last_used_at is informative; refreshing it once a minute keeps token-authenticated reads cheap.
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface CreatedApiToken {
  id: string;
  name: string;
  /** The token itself: in this answer only. */
  token: string;
  createdAt: string;
  expiresAt: string | null;
}

export async function createApiToken(
  deps: AccountsDeps,
  owner: { userId: string; tenantId: string; email: string },
  input: { name: string; expiresInDays?: number | null },
): Promise<CreatedApiToken> {
  const token = TOKEN_PREFIX + randomCredential();
  const now = deps.clock.now();
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString() : null;
  const row = {
    id: newId(),
    tenant_id: owner.tenantId,
    user_id: owner.userId,
    name: input.name,
    token_hash: hashCredential(token),
    created_at: now.toISOString(),
    expires_at: expiresAt,
    last_used_at: null,
  };
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto('api_tokens').values(row).execute();
    await writeAudit(tx, {
      tenantId: owner.tenantId,
      actor: { id: owner.userId, email: owner.email },
      action: 'token.created',
      target: row.id,
      details: { name: row.name, expiresAt },
      at: row.created_at,
    });
  });
  return { id: row.id, name: row.name, token, createdAt: row.created_at, expiresAt };
}

/** The owner's tokens, newest first, without the tokens themselves. */
export async function listApiTokens(db: Db, tenantId: string, userId: string): Promise<ApiTokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at }));
}

/** The owner's token with this id, or null (another user's or tenant's token is "not found"). */
export async function findApiToken(db: Db, tenantId: string, userId: string, id: string): Promise<{ id: string; name: string } | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

/** Revokes (deletes) the owner's token; false when there was none. */
export async function revokeApiToken(deps: AppContext, owner: { userId: string; tenantId: string; email: string }, id: string): Promise<boolean> {
  // A configuration transaction: its version bump ends the token's cached lookups on every instance.
  return inConfigTransaction(deps, owner.tenantId, async (tx) => {
    const row = await tx.selectFrom('api_tokens').select(['id', 'name']).where('tenant_id', '=', owner.tenantId).where('user_id', '=', owner.userId).where('id', '=', id).executeTakeFirst();
    if (!row) return false;
    await tx.deleteFrom('api_tokens').where('id', '=', id).execute();
    await writeAudit(tx, { tenantId: owner.tenantId, actor: { id: owner.userId, email: owner.email }, action: 'token.revoked', target: id, details: { name: row.name }, at: isoNow(deps.clock) });
    return true;
  });
}

// A cache miss runs this: compiled once (db/prepared-query.ts). The tenant's config_version comes in the
// same statement (same snapshot), so the cached entry is filed under the version its row was read at.
const tokenOwner = preparedQuery<
  { hash: string },
  { id: string; tenant_id: string; user_id: string; expires_at: string | null; last_used_at: string | null; email: string; roles: string; disabled: number; config_version: number | null }
>((db, p) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', (join) => join.onRef('u.id', '=', 't.user_id').onRef('u.tenant_id', '=', 't.tenant_id'))
    .leftJoin('tenant_settings as s', 's.tenant_id', 't.tenant_id')
    .select(['t.id', 't.tenant_id', 't.user_id', 't.expires_at', 't.last_used_at', 'u.email', 'u.roles', 'u.disabled', 's.config_version'])
    .where('t.token_hash', '=', p('hash')),
);

/**
 * The caller for a bearer token, or null when it is unknown, expired, revoked, or its owner disabled.
 * Resolved tokens are cached per tenant config_version (api-token-cache.ts says why that is safe).
 */
export async function resolveApiToken(deps: TokenDeps, token: string): Promise<Caller | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const hash = hashCredential(token);
  const cache = apiTokenCacheFor(deps.db);
  const versions = configCacheFor(deps);
  const hit = cache.get(hash);
  if (hit !== undefined) {
    if ((await versions.currentVersion(hit.tenantId)) === hit.version) return usable(deps, hit);
    cache.delete(hash);
  }
  const [row] = (await tokenOwner.execute(deps.db, { hash })).rows;
  if (!row || row.disabled === 1) return null;
  const entry: CachedToken = {
    tokenId: row.id,
    tenantId: row.tenant_id,
    version: Number(row.config_version ?? 0),
    caller: { userId: row.user_id, tenantId: row.tenant_id, email: row.email, roles: parseRoles(row.roles), via: 'token', csrfToken: null, authSessionId: null },
    expiresAtMs: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
    lastUsedMs: row.last_used_at === null ? null : new Date(row.last_used_at).getTime(),
  };
  // Kept only while its version is the newest this instance knows (a change may have committed since).
  versions.noteVersion(entry.tenantId, entry.version);
  if ((await versions.currentVersion(entry.tenantId)) === entry.version) rememberToken(cache, hash, entry);
  return usable(deps, entry);
}

async function usable(deps: TokenDeps, entry: CachedToken): Promise<Caller | null> {
  const now = deps.clock.now().getTime();
  if (entry.expiresAtMs !== null && entry.expiresAtMs <= now) return null;
  if (entry.lastUsedMs === null || now - entry.lastUsedMs >= TOUCH_INTERVAL_MS) {
    entry.lastUsedMs = now;
    await deps.db.updateTable('api_tokens').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', entry.tokenId).execute();
  }
  // A copy: a route must not be able to change what the next request sees.
  return { ...entry.caller, roles: [...entry.caller.roles] };
}
