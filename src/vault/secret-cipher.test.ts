import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { open, seal } from './secret-cipher.ts';
import { VaultError } from './vault-error.ts';

const key = crypto.randomBytes(32);
const plaintext = Buffer.from('sk-ant-api03-round-trip', 'utf8');

function flipBit(sealed: string, byte: number): string {
  const bytes = Buffer.from(sealed, 'base64');
  bytes[byte]! ^= 0x01;
  return bytes.toString('base64');
}

test('seal then open gives the plaintext back, and each seal uses a fresh nonce', () => {
  const a = seal(key, plaintext, 'aad');
  const b = seal(key, plaintext, 'aad');
  assert.notEqual(a, b);
  assert.deepEqual(open(key, a, 'aad'), plaintext);
  assert.deepEqual(open(key, b, 'aad'), plaintext);
  // nonce (12) | ciphertext | tag (16)
  assert.equal(Buffer.from(a, 'base64').length, 12 + plaintext.length + 16);
});

test('a flipped bit anywhere (nonce, ciphertext, tag) fails with a VaultError', () => {
  const sealed = seal(key, plaintext, 'aad');
  const length = Buffer.from(sealed, 'base64').length;
  for (const byte of [0, 11, 12, 12 + Math.floor(plaintext.length / 2), length - 16, length - 1]) {
    assert.throws(() => open(key, flipBit(sealed, byte), 'aad'), (e: unknown) => e instanceof VaultError && e.reason === 'unreadable', `byte ${byte}`);
  }
});

test('wrong AAD, wrong key or a truncated ciphertext fail with a VaultError, never garbage', () => {
  const sealed = seal(key, plaintext, JSON.stringify(['t1', 's1', 'provider-key']));
  const isUnreadable = (e: unknown) => e instanceof VaultError && e.reason === 'unreadable' && e.code === 'vault_error';
  assert.throws(() => open(key, sealed, JSON.stringify(['t1', 's2', 'provider-key'])), isUnreadable);
  assert.throws(() => open(key, sealed, ''), isUnreadable);
  assert.throws(() => open(crypto.randomBytes(32), sealed, JSON.stringify(['t1', 's1', 'provider-key'])), isUnreadable);
  assert.throws(() => open(key, sealed.slice(0, 20), 'x'), isUnreadable);
  assert.throws(() => open(key, `${sealed}!`, 'x'), isUnreadable);
});

test('an empty plaintext round-trips too', () => {
  assert.equal(open(key, seal(key, Buffer.alloc(0), 'a'), 'a').length, 0);
});
