import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCatalogModel, modelCatalog, priceFor, recommendationFor, recommendedModels } from './model-catalog.ts';

test('the catalog is dated and names its sources', () => {
  assert.match(modelCatalog.asOf, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(modelCatalog.source.anthropic, /^https:\/\//);
  assert.match(modelCatalog.source.openai, /^https:\/\//);
});

test('dated, undated and -latest names find their catalog model', () => {
  const cases: Array<[ 'anthropic' | 'openai', string, string | null]> = [
    ['anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['anthropic', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet-20241022'],
    ['anthropic', 'claude-3-5-sonnet-20240620', 'claude-3-5-sonnet-20241022'],
    ['anthropic', 'claude-haiku-4-5', 'claude-haiku-4-5-20251001'],
    ['anthropic', 'claude-opus-4-1@20250805', 'claude-opus-4-1-20250805'],
    ['anthropic', 'claude-3-haiku-20240307', 'claude-3-haiku-20240307'],
    ['anthropic', 'claude-2.1', null],
    ['openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
    ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['openai', 'GPT-4.1-2025-04-14', 'gpt-4.1'],
    ['openai', 'gpt-4.1-mini', 'gpt-4.1-mini'],
    ['openai', 'o3-mini-2025-01-31', 'o3-mini'],
    ['openai', 'gpt-4-0613', 'gpt-4'],
    ['openai', 'gpt-4-1106-preview', 'gpt-4-turbo'],
    // The first GPT-4o snapshot is dearer than the family: it must not be priced as gpt-4o.
    ['openai', 'gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['openai', 'gpt-5-nano-2025-08-07', 'gpt-5-nano'],
    ['openai', 'o3-2025-04-16', 'o3'],
    ['openai', 'o3-pro', 'o3-pro'],
    ['openai', 'davinci-002', null],
    ['openai', 'claude-sonnet-4-5', null],
  ];
  for (const [kind, name, expected] of cases) {
    assert.equal(findCatalogModel(kind, name)?.id ?? null, expected, `${kind} ${name}`);
  }
});

test('recommendations: Sonnet / GPT-4o class for the orchestrator, Haiku / mini for fast flows, none for Azure', () => {
  assert.deepEqual(recommendedModels('anthropic'), { orchestrator: 'claude-sonnet-4-5-20250929', fast: 'claude-haiku-4-5-20251001' });
  assert.deepEqual(recommendedModels('openai'), { orchestrator: 'gpt-4o', fast: 'gpt-4o-mini' });
  assert.deepEqual(recommendedModels('azure'), { orchestrator: null, fast: null });
  assert.deepEqual(recommendationFor('anthropic', 'claude-3-5-sonnet-20241022'), ['orchestrator']);
  assert.deepEqual(recommendationFor('anthropic', 'claude-3-5-haiku-20241022'), ['fast']);
  assert.deepEqual(recommendationFor('openai', 'gpt-4.1-mini'), ['fast']);
  assert.deepEqual(recommendationFor('openai', 'o1'), []);
  assert.deepEqual(recommendationFor('openai', 'whatever-model'), []);
  assert.deepEqual(recommendationFor('azure', 'gpt-4o'), []);
});

test('known models are priced from the catalog', () => {
  assert.deepEqual(priceFor({ kind: 'anthropic', model: 'claude-sonnet-4-5' }), {
    inputPerMTokUsd: 3, outputPerMTokUsd: 15, estimated: false, catalogModelId: 'claude-sonnet-4-5-20250929',
  });
  assert.deepEqual(priceFor({ kind: 'openai', model: 'gpt-4o-mini-2024-07-18' }), {
    inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6, estimated: false, catalogModelId: 'gpt-4o-mini',
  });
  assert.equal(priceFor({ kind: 'anthropic', model: 'claude-3-5-haiku-20241022' }).inputPerMTokUsd, 0.8);
});

test('an Azure deployment is priced as the catalog model its modelOf names, OpenAI or Claude', () => {
  const azureModelOf = { 'prod-chat': 'gpt-4o', cheap: 'gpt-4o-mini-2024-07-18', claude: 'claude-haiku-4-5', typo: 'gpt-9' };
  assert.deepEqual(priceFor({ kind: 'azure', model: 'prod-chat', azureModelOf }), {
    inputPerMTokUsd: 2.5, outputPerMTokUsd: 10, estimated: false, catalogModelId: 'gpt-4o',
  });
  assert.equal(priceFor({ kind: 'azure', model: 'cheap', azureModelOf }).catalogModelId, 'gpt-4o-mini');
  assert.equal(priceFor({ kind: 'azure', model: 'claude', azureModelOf }).catalogModelId, 'claude-haiku-4-5-20251001');
  // The deployment name alone prices nothing: "gpt-4o" may well run o1.
  const bare = priceFor({ kind: 'azure', model: 'gpt-4o', azureModelOf: {} });
  assert.equal(bare.estimated, true);
  assert.equal(priceFor({ kind: 'azure', model: 'typo', azureModelOf }).estimated, true);
});

// The catalog carries each provider's dearest models (o1-pro, GPT-4.5, Opus) precisely because an
// unknown model is priced at the highest catalog price: leaving them out under-reserved such models 2–10×.
test('an unknown model is priced at the highest price of its provider (input and output apart), estimated', () => {
  assert.deepEqual(priceFor({ kind: 'openai', model: 'my-gateway-model' }), {
    inputPerMTokUsd: 150, outputPerMTokUsd: 600, estimated: true, catalogModelId: null,
  });
  assert.deepEqual(priceFor({ kind: 'anthropic', model: 'claude-next' }), {
    inputPerMTokUsd: 15, outputPerMTokUsd: 75, estimated: true, catalogModelId: null,
  });
  // Azure: the highest across OpenAI and Anthropic, since a deployment may run either.
  assert.deepEqual(priceFor({ kind: 'azure', model: 'mystery', azureModelOf: null }), {
    inputPerMTokUsd: 150, outputPerMTokUsd: 600, estimated: true, catalogModelId: null,
  });
  for (const kind of ['anthropic', 'openai'] as const) {
    const highest = priceFor({ kind, model: 'unknown' });
    for (const m of modelCatalog.providers[kind]) {
      assert.ok(highest.inputPerMTokUsd >= m.inputPerMTokUsd && highest.outputPerMTokUsd >= m.outputPerMTokUsd, m.id);
    }
  }
});
