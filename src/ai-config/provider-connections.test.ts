import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleRow } from './__fixtures__/sample-row.ts';
import { toProviderView } from './provider-connections.ts';

test('the contract shape, without the key or its secret id', () => {
  const view = toProviderView(sampleRow({ last_test: '{"ok":true,"at":"2026-01-01T00:00:00.000Z","latencyMs":12,"code":null}' }), sampleRow().id, new Date('2026-01-11T00:00:00.000Z'), 2);
  assert.deepEqual(view, {
    id: sampleRow().id,
    kind: 'anthropic',
    label: 'Anthropic',
    baseUrl: null,
    azure: null,
    models: { orchestrator: 'claude-sonnet-4-5-20250929', fast: 'claude-haiku-4-5-20251001' },
    key: { hint: 'sk-ant-…x7Qa', name: 'mosaic-prod', addedAt: '2026-01-01T00:00:00.000Z', ageDays: 10, rotationDue: false },
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastTest: { ok: true, at: '2026-01-01T00:00:00.000Z', latencyMs: 12, code: null },
    inFlightSessions: 2,
  });
  assert.ok(!JSON.stringify(view).includes('secret-id'));
});

test('rotation turns due at 90 days of key age', () => {
  const at = (iso: string) => toProviderView(sampleRow(), null, new Date(iso), 0).key;
  assert.deepEqual(at('2026-03-31T23:59:59.000Z'), { ...at('2026-03-31T23:59:59.000Z'), ageDays: 89, rotationDue: false });
  assert.deepEqual(at('2026-04-01T00:00:00.000Z'), { ...at('2026-04-01T00:00:00.000Z'), ageDays: 90, rotationDue: true });
  assert.equal(toProviderView(sampleRow(), null, new Date(), 0).active, false);
});
