import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../ids.ts';
import { createTestContext } from '../testing/test-context.ts';
import { readLedger, TENANT_SCOPE } from './budget-ledger.ts';
import { inputUtf8BytesOf, releaseCall, reserveCall, settleCall } from './budget-guard.ts';

test('the input bound counts every byte of multi-byte text, tool results and tool definitions', () => {
  const text = 'Umsatz je Kund€ 📈 ' + 'é'.repeat(100);
  const bytes = inputUtf8BytesOf({
    system: 'You are Mosaic.',
    messages: [
      { role: 'user', content: text },
      { role: 'assistant', parts: [{ type: 'tool-call', id: 't1', name: 'run_query', input: { sql: 'select 1' } }] },
      { role: 'tool', results: [{ type: 'tool-result', id: 't1', name: 'run_query', output: { rows: [[1]] } }] },
    ],
    tools: [{ name: 'run_query', description: 'Runs SQL', inputSchema: { type: 'object' } }],
  });
  const textBytes = Buffer.byteLength(text + 'You are Mosaic.' + 'select 1' + 'Runs SQL', 'utf8');
  assert.ok(bytes >= textBytes, `${bytes} < ${textBytes}`);
});

test('the input bound is exactly the size of the request as one JSON document, with or without tools, twice', () => {
  const tools = [{ name: 'run_query', description: 'Runs SQL — “quoted”', inputSchema: { type: 'object' } }];
  for (const request of [
    { system: 'Line one\nand "two" ✓', messages: [{ role: 'user' as const, content: 'Héllo' }], tools },
    { system: 'Same tools, measured once', messages: [{ role: 'user' as const, content: 'again' }], tools },
    { messages: [{ role: 'user' as const, content: 'no system, no tools' }] },
  ]) {
    const whole = Buffer.byteLength(JSON.stringify({ system: request.system ?? '', messages: request.messages, tools: request.tools ?? [] }), 'utf8');
    assert.equal(inputUtf8BytesOf(request), whole);
  }
});

test('an unknown model is reserved and settled at its provider\'s highest price, marked estimated; release gives it back', async () => {
  const ctx = await createTestContext('sqlite', { clockStart: '2026-07-04T00:00:00.000Z' });
  try {
    const tenantId = newId();
    const call = { tenantId, userId: 'u1', kind: 'anthropic' as const, model: 'claude-future-9', inputUtf8Bytes: 976, maxOutputTokens: 1000 };
    const r = await reserveCall(ctx, call);
    assert.ok(r.ok);
    // Opus prices: (976 + 1024) × 15 + 1000 × 75.
    assert.equal(r.reservation.reservedMicros, 2000 * 15 + 75_000);
    assert.equal(r.reservation.price.estimated, true);
    const settled = await settleCall(ctx, r.reservation, { inputTokens: 500, outputTokens: 100 });
    assert.deepEqual(settled, { costMicros: 500 * 15 + 100 * 75, estimated: true });
    assert.deepEqual(await readLedger(ctx.db, tenantId, TENANT_SCOPE, '2026-07'), { spentMicros: 15_000, reservedMicros: 0 });

    const failed = await reserveCall(ctx, { ...call, kind: 'azure', model: 'prod', azureModelOf: { prod: 'claude-haiku-4-5' } });
    assert.ok(failed.ok);
    assert.equal(failed.reservation.price.catalogModelId, 'claude-haiku-4-5-20251001');
    await releaseCall(ctx, failed.reservation);
    assert.deepEqual(await readLedger(ctx.db, tenantId, 'u1', '2026-07'), { spentMicros: 15_000, reservedMicros: 0 });
  } finally {
    await ctx.cleanup();
  }
});
