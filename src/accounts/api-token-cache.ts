// Resolved bearer tokens, cached per instance: the token lookup was the costliest statement of a chat
// turn (issue 8). An entry is valid for one tenant config_version, the version the configuration cache
// (ai-config/config-cache.ts) already tracks across instances: everything that can end or change a
// token's rights — revoking it, disabling its owner, changing their roles, resetting their password —
// bumps that version in its own transaction (inConfigTransaction). So the change holds on this instance
// from the very next request (the version is noted at commit), and on the others within the cache's
// poll (SQLite, 250 ms) or at once by NOTIFY (PostgreSQL). The version is read in the same statement as
// the token's row, so an entry is never filed under a version newer than the row it holds. Expiry is
// checked on every use; last_used_at is still refreshed once a minute.
import type { Db } from '../db/database.ts';
import type { Caller } from '../server/authorize.ts';

export interface CachedToken {
  tokenId: string;
  tenantId: string;
  /** The tenant's config_version read together with the token's row. */
  version: number;
  caller: Caller;
  expiresAtMs: number | null;
  lastUsedMs: number | null;
}

const MAX_ENTRIES = 10_000;
const caches = new WeakMap<Db, Map<string, CachedToken>>();

/** The cache of one database handle (a second instance, i.e. another handle, has its own). */
export function apiTokenCacheFor(db: Db): Map<string, CachedToken> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Files an entry under its token hash, bounded (a forgotten entry only costs one lookup). */
export function rememberToken(cache: Map<string, CachedToken>, hash: string, entry: CachedToken): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(hash, entry);
}
