import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';

test('passwords are hashed with argon2id, salted, and verify only with the right password', async () => {
  const a = await hashPassword('correct horse battery staple');
  const b = await hashPassword('correct horse battery staple');
  assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.notEqual(a, b, 'each hash has its own salt');
  assert.equal(await verifyPassword(a, 'correct horse battery staple'), true);
  assert.equal(await verifyPassword(a, 'correct horse battery stapl'), false);
});

test('an unknown account (no hash) or a corrupt stored hash is refused, not an error', async () => {
  assert.equal(await verifyPassword(null, 'whatever-password'), false);
  assert.equal(await verifyPassword('not-a-hash', 'whatever-password'), false);
});

test('an unknown account costs about as much time as a real verification', async () => {
  const real = await hashPassword('some-password-123');
  await verifyPassword(null, 'warm up the dummy hash');
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    for (let i = 0; i < 3; i++) await fn();
    return performance.now() - start;
  };
  const known = await time(() => verifyPassword(real, 'wrong-password-xyz'));
  const unknown = await time(() => verifyPassword(null, 'wrong-password-xyz'));
  assert.ok(unknown > known * 0.4, `unknown ${unknown.toFixed(1)} ms vs known ${known.toFixed(1)} ms`);
});

test('generated passwords are long and distinct', () => {
  const p = generatePassword();
  assert.ok(p.length >= 24);
  assert.notEqual(p, generatePassword());
});
