import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { keyHint } from './key-hint.ts';

const anthropic = `sk-ant-api03-${'a'.repeat(89)}x7QaAA`;
const openai = `sk-proj-${'b'.repeat(150)}9fQz`;

test('a hint shows the family prefix and the last four characters', () => {
  assert.equal(keyHint(new Secret(`sk-ant-api03-${'a'.repeat(91)}x7Qa`)), 'sk-ant-…x7Qa');
  assert.equal(keyHint(new Secret(anthropic)), 'sk-ant-…QaAA');
  assert.equal(keyHint(new Secret(openai)), 'sk-proj-…9fQz');
  assert.equal(keyHint(new Secret(`sk-svcacct-${'c'.repeat(40)}WXYZ`)), 'sk-svcacct-…WXYZ');
  assert.equal(keyHint(new Secret(`sk-${'d'.repeat(44)}abcd`)), 'sk-…abcd');
});

test('keys of unknown shape (Azure hex keys, gateway keys) show no prefix', () => {
  assert.equal(keyHint(new Secret('0123456789abcdef0123456789abc0de')), '…c0de');
});

test('short keys reveal less, very short ones nothing', () => {
  assert.equal(keyHint(new Secret('gw-1234567890abcd')), '…cd');
  assert.equal(keyHint(new Secret('abcdefgh12')), '…');
  // A short sk- key is not given its prefix plus four characters: too much of it would show.
  assert.equal(keyHint(new Secret('sk-12345678')), '…');
});

test('a hint never holds more than a small part of the key', () => {
  for (const key of [anthropic, openai, '0123456789abcdef0123456789abcdef', 'sk-abcdefghijklmnopqrst']) {
    const hint = keyHint(new Secret(key));
    const revealed = hint.split('…')[1] ?? '';
    assert.ok(revealed.length <= 4);
    assert.ok(!key.includes(hint.replace('…', '')) || hint.replace('…', '').length <= 12, hint);
  }
});
