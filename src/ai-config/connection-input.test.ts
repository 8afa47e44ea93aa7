import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { Secret } from '../vault/secret.ts';
import { apiKeySchema, azureSchema, baseUrlSchema, checkKindFields, kindSchema } from './connection-input.ts';

test('an API key is trimmed and becomes a Secret', () => {
  const parsed = apiKeySchema.parse('  sk-ant-api03-abcdefgh  ');
  assert.ok(parsed instanceof Secret);
  assert.equal(parsed.reveal(), 'sk-ant-api03-abcdefgh');
  assert.equal(JSON.stringify({ parsed }), '{"parsed":"[redacted secret]"}');
});

test('an API key with whitespace inside, too short or too long is refused without echoing it', () => {
  for (const bad of ['sk-ant abc defgh', 'sk-ant-\nabcdef', 'Zq9x', 'x'.repeat(513)]) {
    const result = apiKeySchema.safeParse(bad);
    assert.equal(result.success, false, bad);
    assert.ok(!JSON.stringify(result.error?.issues).includes(bad), 'the issue does not repeat the key');
  }
});

test('base URLs drop trailing slashes and must be http(s) without credentials', () => {
  assert.equal(baseUrlSchema.parse('https://gw.example.com/v1/'), 'https://gw.example.com/v1');
  assert.equal(baseUrlSchema.parse('https://api.anthropic.com//'), 'https://api.anthropic.com');
  assert.equal(baseUrlSchema.parse(null), null);
  assert.equal(baseUrlSchema.safeParse('ftp://x.example.com').success, false);
  assert.equal(baseUrlSchema.safeParse('https://user:pw@x.example.com').success, false);
  assert.equal(baseUrlSchema.safeParse('not a url').success, false);
});

test('Azure settings: endpoint normalised, apiVersion a date or null, modelOf defaults to {}', () => {
  const parsed = azureSchema.parse({ endpoint: 'https://r.openai.azure.com/', apiStyle: 'openai' });
  assert.deepEqual(parsed, { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai', apiVersion: null, modelOf: {} });
  assert.equal(azureSchema.safeParse({ endpoint: 'https://r.openai.azure.com', apiStyle: 'openai', apiVersion: 'latest' }).success, false);
  assert.equal(azureSchema.safeParse({ endpoint: 'https://r.openai.azure.com', apiStyle: 'gemini' }).success, false);
});

test('Azure needs its azure object; the others must not have one', () => {
  const schema = z.object({ kind: kindSchema, azure: azureSchema.nullable().optional(), baseUrl: baseUrlSchema.optional() }).superRefine(checkKindFields);
  assert.equal(schema.safeParse({ kind: 'azure' }).success, false);
  assert.equal(schema.safeParse({ kind: 'azure', azure: { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai' }, baseUrl: 'https://x.example.com' }).success, false);
  assert.equal(schema.safeParse({ kind: 'openai', azure: { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai' } }).success, false);
  assert.equal(schema.safeParse({ kind: 'openai', baseUrl: 'https://gw.example.com/v1' }).success, true);
  assert.equal(schema.safeParse({ kind: 'gemini' }).success, false);
});
