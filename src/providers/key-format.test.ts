import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkKeyFormat } from './key-format.ts';
import { redactKeyEcho } from './provider-error.ts';

describe('checkKeyFormat', () => {
  it('refuses admin keys with a hint to create an inference-only key', () => {
    for (const [kind, key] of [['anthropic', 'sk-ant-admin01-abc'], ['openai', 'sk-admin-abc'], ['azure', 'sk-admin-abc']] as const) {
      const error = checkKeyFormat(kind, key);
      assert.equal(error?.code, 'admin_key_rejected', key);
      assert.match(error!.hint, /inference-only|project API key/);
    }
  });

  it("refuses a key shaped for the other provider", () => {
    assert.equal(checkKeyFormat('openai', 'sk-ant-api03-xyz')?.code, 'key_format_mismatch');
    assert.equal(checkKeyFormat('anthropic', 'sk-proj-xyz')?.code, 'key_format_mismatch');
    assert.equal(checkKeyFormat('anthropic', 'sk-svcacct-xyz')?.code, 'key_format_mismatch');
    assert.equal(checkKeyFormat('azure', 'sk-proj-xyz')?.code, 'key_format_mismatch');
  });

  it('lets the right shapes and unknown shapes (proxy keys, Azure keys) through', () => {
    assert.equal(checkKeyFormat('anthropic', 'sk-ant-api03-xyz'), null);
    assert.equal(checkKeyFormat('openai', 'sk-proj-xyz'), null);
    assert.equal(checkKeyFormat('openai', 'sk-legacyKey123'), null);
    assert.equal(checkKeyFormat('openai', 'gw_live_12345'), null);
    assert.equal(checkKeyFormat('anthropic', 'proxy-key-777'), null);
    assert.equal(checkKeyFormat('azure', '0123456789abcdef0123456789abcdef'), null);
    assert.equal(checkKeyFormat('azure', 'A'.repeat(84)), null);
  });

  it('an empty key is invalid', () => {
    assert.equal(checkKeyFormat('openai', '  ')?.code, 'invalid_api_key');
  });
});

describe('redactKeyEcho', () => {
  const key = 'sk-proj-AbCdEfGhIjKlMnOp1234abcd';
  it("removes OpenAI's masked echo", () => {
    assert.equal(redactKeyEcho('Incorrect API key provided: sk-proj-****abcd. You can find your API key at x.', key), 'Incorrect API key provided: [redacted key]. You can find your API key at x.');
  });
  it('removes the whole key, prefixes and suffixes of it, and masked echoes of any shape', () => {
    for (const text of [`bad key ${key}`, 'bad key sk-proj-AbCdEfGh…', 'key ending EfGhIjKlMnOp1234abcd was revoked', 'key 0123****cdef is wrong']) {
      const out = redactKeyEcho(text, key);
      assert.ok(!/AbCdEf|1234abcd|\*\*\*|0123\*/.test(out), out);
      assert.match(out, /\[redacted key\]/);
    }
  });
  it('leaves other text alone', () => {
    assert.equal(redactKeyEcho('Overloaded', key), 'Overloaded');
  });
});
