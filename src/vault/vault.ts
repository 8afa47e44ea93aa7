// The secret vault: envelope encryption of tenant secrets (provider API keys). A secret is sealed with
// AES-256-GCM under its tenant's data key, with AAD binding it to (tenant id, secret id, purpose); the
// data key is wrapped by the master keyring (master-keyring.ts), which never enters the database.
// openVault refuses to start when stored data keys need a master key the ring lacks: a clear error
// naming the fix beats a server that turns every stored credential into garbage.
import fs from 'node:fs';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { KeyringHolder } from './master-keyring-holder.ts';
import { createKeyring, describeSource, KEY_FILE_NAME, keySourceFor, parseKeyring, readKeyring, type KeySource, type MasterKeyring } from './master-keyring.ts';
import { rotateMasterKey, keyUsage, type KeyUsage, type RotationOptions, type RotationResult } from './master-key-rotation.ts';
import { open, seal } from './secret-cipher.ts';
import { Secret } from './secret.ts';
import { countDataKeysByMasterKey, TenantDataKeys } from './tenant-data-keys.ts';
import type { DbOrTx, Vault } from './vault-api.ts';
import { VaultError } from './vault-error.ts';

const secretAad = (tenantId: string, secretId: string, purpose: string): string =>
  JSON.stringify(['mosaic-secret/v1', tenantId, secretId, purpose]);

export interface OpenVaultOptions {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
}

export class MosaicVault implements Vault {
  readonly keyring: KeyringHolder;
  readonly #dataKeys: TenantDataKeys;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(ring: MasterKeyring, options: OpenVaultOptions) {
    this.keyring = new KeyringHolder(ring, options.logger);
    this.#dataKeys = new TenantDataKeys(this.keyring, options.clock);
    this.#db = options.db;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  async storeSecret(db: DbOrTx, tenantId: string, purpose: string, secret: Secret): Promise<string> {
    const id = newId();
    const dataKey = await this.#dataKeys.findOrCreate(db, tenantId);
    const ciphertext = seal(dataKey, Buffer.from(secret.reveal(), 'utf8'), secretAad(tenantId, id, purpose));
    await db
      .insertInto('secrets')
      .values({ id, tenant_id: tenantId, purpose, ciphertext, created_at: this.#clock.now().toISOString() })
      .execute();
    return id;
  }

  async readSecret(db: DbOrTx, tenantId: string, secretId: string, purpose: string): Promise<Secret> {
    const row = await db
      .selectFrom('secrets')
      .select(['ciphertext', 'purpose'])
      .where('id', '=', secretId)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!row) throw new VaultError('missing', 'The stored secret is missing; enter it again.');
    const dataKey = await this.#dataKeys.find(db, tenantId);
    if (!dataKey) throw new VaultError('unreadable', 'The stored secret cannot be decrypted (its tenant has no data key); enter it again.');
    // The AAD is built from what the caller asks for, not from the row: a ciphertext copied to another
    // row, tenant or purpose fails authentication here.
    const plaintext = open(dataKey, row.ciphertext, secretAad(tenantId, secretId, purpose));
    return new Secret(plaintext.toString('utf8'));
  }

  async deleteSecret(db: DbOrTx, tenantId: string, secretId: string): Promise<void> {
    await db.deleteFrom('secrets').where('id', '=', secretId).where('tenant_id', '=', tenantId).execute();
  }

  /** Makes a new master key current and re-wraps every data key under it (rotate-master-key). */
  rotate(options: RotationOptions = {}): Promise<RotationResult> {
    return rotateMasterKey({ db: this.#db, keyring: this.keyring, clock: this.#clock, logger: this.#logger }, options);
  }

  /** Which master key wraps how many data keys, and which may leave the ring. */
  keyUsage(): Promise<KeyUsage[]> {
    return keyUsage({ db: this.#db, keyring: this.keyring });
  }
}

/** Loads (or on first start generates) the master keyring and checks it opens every stored data key. */
export async function openVault(options: OpenVaultOptions): Promise<MosaicVault> {
  const { config, db, logger } = options;
  const source = keySourceFor(config);
  const needed = await countDataKeysByMasterKey(db);
  let ring = await readKeyring(source, logger);
  if (!ring) {
    if (source.kind !== 'file') throw new Error('unreachable: an env keyring always parses or throws');
    // Never replace a lost key file with a fresh key while stored data keys need the old one.
    if (needed.size > 0) throw missingKeyFileError(source.path, needed);
    ring = await createKeyring(source, logger);
  }
  const missing = [...needed.keys()].filter((id) => !ring.byId(id));
  if (missing.length > 0) throw missingKeysError(ring, missing, needed, config);
  logger.info({ keySource: source.kind, currentKeyId: ring.current.id, keyIds: ring.ids() }, 'secret vault open');
  return new MosaicVault(ring, options);
}

function listIds(ids: string[], needed: Map<string, number>): string {
  return ids.map((id) => `${id} (${needed.get(id) ?? 0} tenant data key(s))`).join(', ');
}

function missingKeyFileError(file: string, needed: Map<string, number>): VaultError {
  return new VaultError(
    'misconfigured',
    `Cannot open the secret vault: the master key file ${file} is missing, but stored tenant data keys are wrapped by ` +
      `master key id(s) ${listIds([...needed.keys()], needed)}. Fix: restore ${KEY_FILE_NAME} from your backup into ` +
      `${file.slice(0, -KEY_FILE_NAME.length - 1)} (or set MOSAIC_MASTER_KEY to those keys). Mosaic does not generate ` +
      'a new key file while stored secrets need the old one.',
  );
}

function missingKeysError(ring: MasterKeyring, missing: string[], needed: Map<string, number>, config: Config): VaultError {
  const where = describeSource(ring.source);
  const hint = ring.source.kind === 'env' ? keyFileHint(config, missing) : '';
  return new VaultError(
    'misconfigured',
    `Cannot open the secret vault: stored tenant data keys are wrapped by master key id(s) ${listIds(missing, needed)}, ` +
      `which ${where} does not hold (it holds ${ring.ids().join(', ')}). Fix: add the missing key(s) back to ${where}, ` +
      `after the current key, from your backup.${hint} Starting with a different key would make every stored secret unreadable.`,
  );
}

/** When MOSAIC_MASTER_KEY lacks a key that a key file left in the data dir holds, say so. */
function keyFileHint(config: Config, missing: string[]): string {
  const file: KeySource = keySourceFor({ ...config, masterKeyEnv: null });
  if (file.kind !== 'file') return '';
  try {
    const inFile = parseKeyring(fs.readFileSync(file.path, 'utf8'), file);
    const found = missing.filter((id) => inFile.byId(id));
    return found.length > 0 ? ` The key file ${file.path} holds ${found.join(', ')}: it was in use before MOSAIC_MASTER_KEY was set.` : '';
  } catch {
    return '';
  }
}
