// An in-memory cache of per-tenant AI configuration (the active provider, decrypted connection
// settings), valid for one tenant_settings.config_version. Several Mosaic instances may share one
// database, so each instance must learn of another's change within a second:
// - PostgreSQL: a dedicated connection LISTENs on `mosaic_config`; every change NOTIFYs `<tenant>:<version>`
//   at commit (ai-config-transaction.ts). While that connection is down, it falls back to polling.
// - SQLite (or PostgreSQL without the listener): config_version is re-read at most every 250 ms.
// An entry is used only while its version is the newest known, so a rotated-out key is never served
// after the change is known.
import pg from 'pg';
import type { AppContext } from '../app-context.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';

export const CONFIG_CHANNEL = 'mosaic_config';
const POLL_MS = 250;
const LISTENER_RETRY_MS = 1_000;
const MAX_ENTRIES = 10_000;

interface KnownVersion {
  version: number;
  checkedAt: number;
}

export class ConfigCache {
  readonly #db: Db;
  readonly #pool: pg.Pool | null;
  readonly #logger: Logger;
  readonly #known = new Map<string, KnownVersion>();
  readonly #entries = new Map<string, { version: number; value: unknown }>();
  #listener: pg.Client | null = null;
  #listening = false;
  #starting: Promise<void> | null = null;
  #retryAt = 0;
  #closed = false;

  constructor(db: Db, pool: pg.Pool | null, logger: Logger) {
    this.#db = db;
    this.#pool = pool;
    this.#logger = logger;
  }

  /** True while the PostgreSQL listener is up (changes arrive by notification, no polling). */
  get listening(): boolean {
    return this.#listening;
  }

  /** Records a version this instance committed or was told about; config versions only grow. */
  noteVersion(tenantId: string, version: number, onlyIfTracked = false): void {
    const known = this.#known.get(tenantId);
    if (!known) {
      if (!onlyIfTracked) this.#known.set(tenantId, { version, checkedAt: performance.now() });
      return;
    }
    if (version > known.version) this.#known.set(tenantId, { version, checkedAt: known.checkedAt });
  }

  /** The newest config_version this instance knows for the tenant, re-read when it may be stale. */
  async currentVersion(tenantId: string): Promise<number> {
    await this.#ensureListener();
    const known = this.#known.get(tenantId);
    if (known && (this.#listening || performance.now() - known.checkedAt < POLL_MS)) return known.version;
    const checkedAt = performance.now();
    const row = await this.#db.selectFrom('tenant_settings').select('config_version').where('tenant_id', '=', tenantId).executeTakeFirst();
    const version = Math.max(Number(row?.config_version ?? 0), this.#known.get(tenantId)?.version ?? 0);
    this.#known.set(tenantId, { version, checkedAt });
    return version;
  }

  /** The cached value for (tenant, key) at the current version, or `load()`'s, cached when still current. */
  async get<T>(tenantId: string, key: string, load: () => Promise<T>): Promise<T> {
    const version = await this.currentVersion(tenantId);
    const entryKey = `${tenantId}|${key}`;
    const hit = this.#entries.get(entryKey);
    if (hit && hit.version === version) return hit.value as T;
    // Loaded after the version was read, so the value is at least as new as the version it is filed under.
    const value = await load();
    if (this.#known.get(tenantId)?.version === version) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(entryKey, { version, value });
    }
    return value;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    const listener = this.#listener;
    this.#listener = null;
    if (listener) await listener.end().catch(() => {});
  }

  async #ensureListener(): Promise<void> {
    if (this.#pool === null || this.#closed || this.#listening || performance.now() < this.#retryAt) return;
    this.#starting ??= this.#startListener().finally(() => {
      this.#starting = null;
    });
    await this.#starting;
  }

  async #startListener(): Promise<void> {
    const client = new pg.Client(this.#pool!.options);
    const lost = (err?: Error) => {
      if (this.#listener !== client) return;
      this.#listener = null;
      this.#listening = false;
      // Whatever was learnt from notifications may now be missing some: go back to reading versions.
      this.#known.clear();
      this.#retryAt = performance.now() + LISTENER_RETRY_MS;
      if (!this.#closed) this.#logger.warn({ err: err?.message }, 'configuration listener lost; polling until it reconnects');
    };
    client.on('error', (err) => {
      lost(err);
      client.end().catch(() => {});
    });
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel !== CONFIG_CHANNEL || !message.payload) return;
      const [tenantId, version] = message.payload.split(':');
      if (tenantId && version) this.noteVersion(tenantId, Number(version), true);
    });
    try {
      await client.connect();
      // A cache's listener must not keep a finished process (or a test) alive.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      await client.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (err) {
      this.#retryAt = performance.now() + LISTENER_RETRY_MS;
      this.#logger.warn({ err: (err as Error).message }, 'configuration listener could not start; polling instead');
      await client.end().catch(() => {});
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#listener = client;
    // Versions read before LISTEN took effect may have missed a change: read them again once.
    this.#known.clear();
    this.#listening = true;
  }
}

const caches = new WeakMap<Db, ConfigCache>();

/** The one cache per database handle (a second instance, i.e. another handle, has its own). */
export function configCacheFor(ctx: Pick<AppContext, 'db' | 'pgPool' | 'logger'>): ConfigCache {
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = new ConfigCache(ctx.db, ctx.pgPool, ctx.logger);
    caches.set(ctx.db, cache);
  }
  return cache;
}

/** Stops the PostgreSQL listener (graceful shutdown, tests). */
export async function closeConfigCache(ctx: Pick<AppContext, 'db'>): Promise<void> {
  await caches.get(ctx.db)?.close();
  caches.delete(ctx.db);
}
