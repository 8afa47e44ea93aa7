import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costMicros, PROVIDER_HIDDEN_INPUT_TOKENS, usdToMicros, worstCaseMicros } from './pricing.ts';

const sonnet = { inputPerMTokUsd: 3, outputPerMTokUsd: 15 };
const mini = { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 };

test('cost is exact micro-dollars: USD per million tokens = micro-dollars per token', () => {
  assert.equal(costMicros({ inputTokens: 1000, outputTokens: 200 }, sonnet), 3000 + 3000);
  assert.equal(costMicros({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, sonnet), 18_000_000);
  // 0.15 × 1000 is 150.00000000000003 in floating point; the ledger must say 150.
  assert.equal(costMicros({ inputTokens: 1000, outputTokens: 0 }, mini), 150);
  assert.equal(costMicros({ inputTokens: 0, outputTokens: 0 }, sonnet), 0);
});

test('a fraction of a micro-dollar is rounded up, never down', () => {
  assert.equal(costMicros({ inputTokens: 1, outputTokens: 0 }, mini), 1); // 0.15 µ$
  assert.equal(costMicros({ inputTokens: 7, outputTokens: 3 }, mini), 3); // 1.05 + 1.8 = 2.85 µ$
  assert.equal(costMicros({ inputTokens: 10, outputTokens: 0 }, { inputPerMTokUsd: 0.8, outputPerMTokUsd: 4 }), 8);
  assert.equal(costMicros({ inputTokens: 3, outputTokens: 0 }, { inputPerMTokUsd: 1.1, outputPerMTokUsd: 4.4 }), 4); // 3.3
});

test('the worst case bounds input tokens by UTF-8 bytes, plus hidden prompt tokens, plus the output limit', () => {
  const worst = worstCaseMicros({ inputUtf8Bytes: 10_000, maxOutputTokens: 1000 }, sonnet);
  assert.equal(worst, (10_000 + PROVIDER_HIDDEN_INPUT_TOKENS) * 3 + 1000 * 15);
  // Whatever the real token count of those bytes, the real cost is never above the worst case.
  for (const inputTokens of [1, 2_500, 9_999, 10_000]) {
    for (const outputTokens of [0, 1, 999, 1000]) {
      assert.ok(costMicros({ inputTokens, outputTokens }, sonnet) <= worst);
    }
  }
});

test('a budget in USD converts to micro-dollars', () => {
  assert.equal(usdToMicros(12.34), 12_340_000);
  assert.equal(usdToMicros(0.1 + 0.2), 300_000);
});
