// What the rest of Mosaic sees of the vault (implemented in vault/vault.ts).
// Each secret is sealed under its tenant's data key with additional authenticated data binding it to
// (tenant id, secret id, purpose): a ciphertext copied to another row, tenant or purpose fails to open.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Secret } from './secret.ts';

export type DbOrTx = Kysely<Database> | Transaction<Database>;

export interface Vault {
  /** Encrypts and inserts a secret; returns its id. Runs inside the caller's transaction. */
  storeSecret(db: DbOrTx, tenantId: string, purpose: string, secret: Secret): Promise<string>;
  /** Decrypts a stored secret. Throws VaultError if it is missing, tampered with or moved. */
  readSecret(db: DbOrTx, tenantId: string, secretId: string, purpose: string): Promise<Secret>;
  /** Deletes a stored secret (tenant-scoped). */
  deleteSecret(db: DbOrTx, tenantId: string, secretId: string): Promise<void>;
}
