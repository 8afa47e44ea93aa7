// A provider_connections row for pure mapping tests.
import type { ProviderConnectionRow } from '../../db/schema.ts';

export const sampleRow = (over: Partial<ProviderConnectionRow> = {}): ProviderConnectionRow => ({
  id: '11111111-1111-4111-8111-111111111111',
  tenant_id: 't',
  kind: 'anthropic',
  label: 'Anthropic',
  base_url: null,
  azure: null,
  model_orchestrator: 'claude-sonnet-4-5-20250929',
  model_fast: 'claude-haiku-4-5-20251001',
  key_secret_id: 'secret-id',
  key_hint: 'sk-ant-…x7Qa',
  key_name: 'mosaic-prod',
  key_added_at: '2026-01-01T00:00:00.000Z',
  last_test: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...over,
});
