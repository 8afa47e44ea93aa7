import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recommendedModels } from '../providers/catalog/model-catalog.ts';
import { toPickerModels } from './list-models.ts';

test('the picker lists orchestrator recommendations first, then fast ones, then the rest by name', () => {
  const rec = recommendedModels('anthropic');
  assert.ok(rec.orchestrator && rec.fast);
  const models = toPickerModels('anthropic', [
    { id: 'claude-zzz-unknown', displayName: 'Zed' },
    { id: rec.fast, displayName: 'Fast one' },
    { id: 'claude-aaa-unknown', displayName: 'Aardvark' },
    { id: rec.orchestrator, displayName: 'Orchestrator one' },
    { id: rec.orchestrator, displayName: 'Orchestrator one (duplicate)' },
  ]);
  assert.deepEqual(models.map((m) => m.id), [rec.orchestrator, rec.fast, 'claude-aaa-unknown', 'claude-zzz-unknown']);
  assert.deepEqual(models[0]?.recommendedFor, ['orchestrator']);
  assert.deepEqual(models[1]?.recommendedFor, ['fast']);
  assert.deepEqual(models[2]?.recommendedFor, []);
});

test('Azure deployments carry no recommendation; a missing display name falls back to the id', () => {
  assert.deepEqual(toPickerModels('azure', [{ id: 'gpt-4o-prod', displayName: '' }]), [
    { id: 'gpt-4o-prod', displayName: 'gpt-4o-prod', recommendedFor: [] },
  ]);
});

// Regression: the picker preselects its top entry, and sorting same-class models by name put
// "Claude Sonnet 3.5" above the catalog's current choice "Claude Sonnet 4.5".
test("the catalog's first choice for each role leads its group, ahead of older models of the same class", () => {
  const rec = recommendedModels('anthropic');
  const models = toPickerModels('anthropic', [
    { id: 'claude-3-5-haiku-20241022', displayName: 'Claude Haiku 3.5' },
    { id: 'claude-3-5-sonnet-20241022', displayName: 'Claude Sonnet 3.5 (New)' },
    { id: rec.fast!, displayName: 'Claude Haiku 4.5' },
    { id: rec.orchestrator!, displayName: 'Claude Sonnet 4.5' },
  ]);
  assert.deepEqual(models.map((m) => m.id), [rec.orchestrator, 'claude-3-5-sonnet-20241022', rec.fast, 'claude-3-5-haiku-20241022']);
});
