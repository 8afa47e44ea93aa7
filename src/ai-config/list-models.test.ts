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
