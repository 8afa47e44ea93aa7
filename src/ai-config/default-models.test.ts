import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recommendedModels } from '../providers/catalog/model-catalog.ts';
import { defaultFastModel } from './default-models.ts';

const azure = (apiStyle: 'openai' | 'anthropic', modelOf: Record<string, string>) => ({ endpoint: 'https://r.openai.azure.com', apiStyle, apiVersion: null, modelOf });

test("Anthropic and OpenAI default to the catalog's recommended fast model", () => {
  assert.equal(defaultFastModel('anthropic', 'claude-sonnet-4-5-20250929'), recommendedModels('anthropic').fast);
  assert.equal(defaultFastModel('openai', 'gpt-4o'), recommendedModels('openai').fast);
});

// Regression: Azure always fell back to the orchestrator's deployment, so titles and follow-ups ran (and
// were billed) on GPT-4o although a GPT-4o-mini deployment was configured.
test('Azure defaults to a deployment that runs a fast-class model, the catalog first choice first', () => {
  assert.equal(defaultFastModel('azure', 'gpt-4o-prod', azure('openai', { 'gpt-4o-prod': 'gpt-4o', 'gpt-4o-mini-fast': 'gpt-4o-mini' })), 'gpt-4o-mini-fast');
  assert.equal(
    defaultFastModel('azure', 'claude-sonnet', azure('anthropic', { 'claude-sonnet': 'claude-sonnet-4-5-20250929', old: 'claude-3-5-haiku-20241022', 'claude-haiku': 'claude-haiku-4-5-20251001' })),
    'claude-haiku',
  );
  assert.equal(defaultFastModel('azure', 'gpt-4o-prod', azure('openai', { 'gpt-4o-prod': 'gpt-4o', 'o1-prod': 'o1' })), 'gpt-4o-prod', 'no fast-class deployment: the orchestrator');
  assert.equal(defaultFastModel('azure', 'gpt-4o-prod', null), 'gpt-4o-prod');
});
