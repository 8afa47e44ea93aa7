// Envelope encryption's middle layer: each tenant has a random 32-byte data key that seals its secrets.
// The data key is stored only wrapped (sealed) by a master key, with AAD binding it to the tenant, in
// tenant_data_keys together with the id of the master key that wrapped it. It is created on the
// tenant's first secret; two first secrets at once end with one key (insert-if-absent, then re-read).
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { KeyringHolder } from './master-keyring-holder.ts';
import type { MasterKey } from './master-keyring.ts';
import { KEY_BYTES, open, seal } from './secret-cipher.ts';
import type { DbOrTx } from './vault-api.ts';
import { VaultError } from './vault-error.ts';

const dataKeyAad = (tenantId: string): string => JSON.stringify(['mosaic-tenant-data-key/v1', tenantId]);

/** Seals a tenant's data key under a master key. */
export function wrapDataKey(masterKey: MasterKey, tenantId: string, dataKey: Buffer): string {
  return seal(masterKey.bytes(), dataKey, dataKeyAad(tenantId));
}

/** Opens a wrapped data key; a row that fails authentication is corruption an operator must see. */
export function unwrapDataKey(masterKey: MasterKey, tenantId: string, wrapped: string): Buffer {
  try {
    return open(masterKey.bytes(), wrapped, dataKeyAad(tenantId));
  } catch {
    throw new VaultError(
      'misconfigured',
      `The stored data key of tenant ${tenantId} (wrapped by master key id ${masterKey.id}) failed authentication: ` +
        'its tenant_data_keys row was altered or copied from another tenant. Restore that row from a backup.',
    );
  }
}

interface WrappedRow {
  wrapped_key: string;
  master_key_id: string;
}

export class TenantDataKeys {
  readonly #keyring: KeyringHolder;
  readonly #clock: Clock;
  // Unwrapped data keys, in this process's memory only. Each entry remembers the row (wrapped form and
  // master key id) it came and is used only while the row still holds exactly that form, so a row rolled back with its
  // transaction or re-wrapped by a rotation is never trusted from the cache.
  readonly #cache = new Map<string, { wrapped: string; masterKeyId: string; key: Buffer }>();

  constructor(keyring: KeyringHolder, clock: Clock) {
    this.#keyring = keyring;
    this.#clock = clock;
  }

  /** The tenant's data key, or null when the tenant has stored no secret yet. */
  async find(db: DbOrTx, tenantId: string): Promise<Buffer | null> {
    const row = await readRow(db, tenantId);
    return row ? this.#unwrap(tenantId, row) : null;
  }

  /** The tenant's data key, created and stored wrapped on first use. */
  async findOrCreate(db: DbOrTx, tenantId: string): Promise<Buffer> {
    const existing = await readRow(db, tenantId);
    if (existing) return this.#unwrap(tenantId, existing);

    const dataKey = crypto.randomBytes(KEY_BYTES);
    const masterKey = await this.#keyring.currentForWrapping();
    const wrapped = wrapDataKey(masterKey, tenantId, dataKey);
    const now = this.#clock.now().toISOString();
    await db
      .insertInto('tenant_data_keys')
      .values({ tenant_id: tenantId, wrapped_key: wrapped, master_key_id: masterKey.id, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
    // Whoever inserted first won; everyone uses the stored key.
    const stored = await readRow(db, tenantId);
    if (!stored) throw new Error(`tenant_data_keys row of tenant ${tenantId} vanished right after insert`);
    if (stored.wrapped_key === wrapped) {
      this.#cache.set(tenantId, { wrapped, masterKeyId: masterKey.id, key: dataKey });
      return dataKey;
    }
    return this.#unwrap(tenantId, stored);
  }

  async #unwrap(tenantId: string, row: WrappedRow): Promise<Buffer> {
    const cached = this.#cache.get(tenantId);
    if (cached && cached.wrapped === row.wrapped_key && cached.masterKeyId === row.master_key_id) return cached.key;
    const masterKey = await this.#keyring.keyFor(row.master_key_id);
    const key = unwrapDataKey(masterKey, tenantId, row.wrapped_key);
    this.#cache.set(tenantId, { wrapped: row.wrapped_key, masterKeyId: row.master_key_id, key });
    return key;
  }
}

function readRow(db: DbOrTx, tenantId: string): Promise<WrappedRow | undefined> {
  return db
    .selectFrom('tenant_data_keys')
    .select(['wrapped_key', 'master_key_id'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** How many tenant data keys each master key id wraps. */
export async function countDataKeysByMasterKey(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('tenant_data_keys')
    .select((eb) => ['master_key_id', eb.fn.countAll().as('n')])
    .groupBy('master_key_id')
    .execute();
  return new Map(rows.map((r) => [r.master_key_id, Number(r.n)]));
}
