import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../server/errors.ts';
import { sampleRow } from './__fixtures__/sample-row.ts';
import { planUpdate } from './update-provider.ts';

const azureRow = sampleRow({
  kind: 'azure',
  azure: JSON.stringify({ endpoint: 'https://r.openai.azure.com', apiStyle: 'openai', apiVersion: null, modelOf: { a: 'gpt-4o' } }),
  model_orchestrator: 'a',
  model_fast: 'a',
});

test('a label change needs no test; a model change tests that model', () => {
  assert.deepEqual(planUpdate(sampleRow(), { label: 'Main' }).modelsToTest, []);
  assert.deepEqual(planUpdate(sampleRow(), { models: { fast: 'claude-3-5-haiku-20241022' } }).modelsToTest, ['claude-3-5-haiku-20241022']);
  assert.deepEqual(planUpdate(sampleRow(), { models: { orchestrator: 'claude-sonnet-4-5-20250929' } }).changes, {});
});

test('a new base URL or Azure endpoint tests both models; a modelOf (pricing) change tests nothing', () => {
  assert.deepEqual(planUpdate(sampleRow(), { baseUrl: 'https://gw.example.com' }).modelsToTest, ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']);
  const priced = planUpdate(azureRow, { azure: { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai', apiVersion: null, modelOf: { a: 'gpt-4.1' } } });
  assert.deepEqual(priced.modelsToTest, []);
  assert.ok('azure' in priced.changes);
  const moved = planUpdate(azureRow, { azure: { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai', apiVersion: '2024-10-21', modelOf: { a: 'gpt-4o' } } });
  assert.deepEqual(moved.modelsToTest, ['a']);
});

test('fields of the other kind are refused', () => {
  assert.throws(() => planUpdate(azureRow, { baseUrl: 'https://x.example.com' }), (e: unknown) => e instanceof AppError && e.status === 400);
  assert.throws(() => planUpdate(sampleRow(), { azure: { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai', apiVersion: null, modelOf: {} } }), AppError);
});
