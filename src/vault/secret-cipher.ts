// AES-256-GCM sealing: a fresh random 96-bit nonce per message and additional authenticated data
// (AAD) that binds the ciphertext to where it belongs. Output is base64 of nonce | ciphertext | tag.
// Opening fails with a VaultError on any change (a flipped bit, another key, another AAD) — never
// returns garbage.
import crypto from 'node:crypto';
import { VaultError } from './vault-error.ts';

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function checkKey(key: Buffer): void {
  // A programming error, not bad data: say which, without the key.
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key, got ${key.length} bytes.`);
}

/** Encrypts `plaintext` under `key`, authenticated together with `aad`. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  checkKey(key);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

/** Decrypts what seal() produced with the same key and AAD; throws VaultError('unreadable') otherwise. */
export function open(key: Buffer, sealed: string, aad: string): Buffer {
  checkKey(key);
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < NONCE_BYTES + TAG_BYTES || bytes.toString('base64') !== sealed) {
    throw new VaultError('unreadable', 'A stored ciphertext is truncated or not valid base64.');
  }
  const nonce = bytes.subarray(0, NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new VaultError(
      'unreadable',
      'A stored ciphertext failed authentication: it was altered, moved to another record, or sealed under another key.',
    );
  }
}
