// The master keyring: the keys that wrap tenant data keys. It comes from MOSAIC_MASTER_KEY
// (comma-separated base64 keys of 32 bytes) or, when that is unset, from the key file
// $MOSAIC_DATA_DIR/master.key (one base64 key a line). The first key is current: new wrappings use it;
// the others stay so that data keys wrapped before a rotation still open. Each key is known by an id,
// a fingerprint that is safe to store and log; the key itself never enters the database or a log.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { KEY_BYTES } from './secret-cipher.ts';
import { createKeyFileOnce, readKeyFile } from './master-key-file.ts';
import { VaultError } from './vault-error.ts';

export const KEY_FILE_NAME = 'master.key';
const KEY_ID_LABEL = 'mosaic-master-key-id';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const HOW_TO_MAKE_A_KEY = 'a key is 32 random bytes in base64, e.g. from `openssl rand -base64 32`';
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export type KeySource = { kind: 'env'; text: string } | { kind: 'file'; path: string };

/** One master key. Prints as its id only, so a key logged by mistake shows nothing secret. */
export class MasterKey {
  readonly id: string;
  /** Where it sits in its source, for messages: "line 2 of /data/master.key". */
  readonly where: string;
  readonly #bytes: Buffer;

  constructor(bytes: Buffer, where: string) {
    this.#bytes = bytes;
    this.id = masterKeyId(bytes);
    this.where = where;
  }

  /** The key bytes, for the cipher only. */
  bytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return `MasterKey(${this.id})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MasterKey(${this.id})`;
  }
}

export class MasterKeyring {
  readonly keys: readonly MasterKey[];
  readonly source: KeySource;

  constructor(keys: MasterKey[], source: KeySource) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key');
    this.keys = keys;
    this.source = source;
  }

  /** The key new wrappings use: the first one. */
  get current(): MasterKey {
    return this.keys[0]!;
  }

  byId(id: string): MasterKey | undefined {
    return this.keys.find((k) => k.id === id);
  }

  ids(): string[] {
    return this.keys.map((k) => k.id);
  }
}

/** The public fingerprint of a key: first 16 hex chars of HMAC-SHA256(key, label). */
export function masterKeyId(key: Buffer): string {
  return crypto.createHmac('sha256', key).update(KEY_ID_LABEL).digest('hex').slice(0, 16);
}

export function keySourceFor(config: Config): KeySource {
  return config.masterKeyEnv !== null
    ? { kind: 'env', text: config.masterKeyEnv }
    : { kind: 'file', path: path.join(config.dataDir, KEY_FILE_NAME) };
}

/** How a person names the source in a message. */
export function describeSource(source: KeySource): string {
  return source.kind === 'env' ? 'MOSAIC_MASTER_KEY' : `the master key file ${source.path}`;
}

/** A fresh random key in the keyring's text form. */
export function generateKeyText(): string {
  return crypto.randomBytes(KEY_BYTES).toString('base64');
}

/** Parses keyring text (env: comma-separated; file: one a line, blank lines and # comments ignored). */
export function parseKeyring(text: string, source: KeySource): MasterKeyring {
  const entries = source.kind === 'env'
    ? text.split(',').map((value, i) => ({ value: value.trim(), where: `key ${i + 1} of MOSAIC_MASTER_KEY` }))
    : text.split(/\r?\n/).map((value, i) => ({ value: value.trim(), where: `line ${i + 1} of ${source.path}` }));
  const keys: MasterKey[] = [];
  for (const { value, where } of entries) {
    if (value === '' || (source.kind === 'file' && value.startsWith('#'))) continue;
    if (!BASE64.test(value)) {
      throw new VaultError('misconfigured', `${capitalize(where)} is not valid base64: ${HOW_TO_MAKE_A_KEY}.`);
    }
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length !== KEY_BYTES) {
      throw new VaultError(
        'misconfigured',
        `${capitalize(where)} decodes to ${bytes.length} bytes; it must be exactly ${KEY_BYTES}: ${HOW_TO_MAKE_A_KEY}.`,
      );
    }
    const key = new MasterKey(bytes, where);
    // The same key twice is harmless; keep its first (most current) position.
    if (!keys.some((k) => k.id === key.id)) keys.push(key);
  }
  if (keys.length === 0) {
    throw new VaultError(
      'misconfigured',
      `${describeSource(source)} holds no key: ${HOW_TO_MAKE_A_KEY}` +
        (source.kind === 'file' ? '. Restore the file from your backup; delete it only if no secret was ever stored.' : '.'),
    );
  }
  return new MasterKeyring(keys, source);
}

/** Reads the keyring from its source; null when the key file does not exist (yet). */
export async function readKeyring(source: KeySource, logger: Logger, options: { warnLooseMode?: boolean } = {}): Promise<MasterKeyring | null> {
  if (source.kind === 'env') return parseKeyring(source.text, source);
  const text = await readKeyFile(source.path, options.warnLooseMode === false ? null : logger);
  return text === null ? null : parseKeyring(text, source);
}

/** First start: writes a key file with one fresh key (mode 0600). If another process won the race, uses its file. */
export async function createKeyring(source: Extract<KeySource, { kind: 'file' }>, logger: Logger): Promise<MasterKeyring> {
  const created = await createKeyFileOnce(source.path, `${generateKeyText()}\n`);
  if (created) {
    logger.warn(
      { path: source.path },
      'generated a new master key file: back it up now, apart from the database — without it the stored secrets cannot be decrypted',
    );
  }
  const ring = await readKeyring(source, logger);
  if (!ring) throw new VaultError('misconfigured', `${describeSource(source)} vanished right after it was created.`);
  return ring;
}
