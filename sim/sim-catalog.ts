// The models and deployments the simulator knows. Anything else is the provider's real "not found".
import type { SimAzureDeployment } from './sim-types.ts';

export interface SimAnthropicModel {
  id: string;
  display_name: string;
  created_at: string;
}

export interface SimOpenAIModel {
  id: string;
  created: number;
  owned_by: string;
}

// Newest first, as GET /v1/models lists them.
export const ANTHROPIC_MODELS: readonly SimAnthropicModel[] = [
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-24T00:00:00Z' },
  { id: 'claude-3-5-sonnet-20241022', display_name: 'Claude Sonnet 3.5 (New)', created_at: '2024-10-22T00:00:00Z' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
];

export const OPENAI_MODELS: readonly SimOpenAIModel[] = [
  { id: 'gpt-4o', created: 1715367049, owned_by: 'system' },
  { id: 'gpt-4o-mini', created: 1721172741, owned_by: 'system' },
  { id: 'gpt-4.1', created: 1744316542, owned_by: 'system' },
  { id: 'gpt-4.1-mini', created: 1744318173, owned_by: 'system' },
  { id: 'o1', created: 1734375816, owned_by: 'system' },
  { id: 'o3-mini', created: 1737146383, owned_by: 'system' },
  { id: 'gpt-4-turbo', created: 1712361441, owned_by: 'system' },
];

/** Reasoning models: reject `max_tokens`, spend hidden reasoning tokens before any text. */
export const OPENAI_REASONING_MODELS: ReadonlySet<string> = new Set(['o1', 'o3-mini']);

export const AZURE_DEPLOYMENTS: readonly SimAzureDeployment[] = [
  { name: 'gpt-4o-prod', apiStyle: 'openai', model: 'gpt-4o' },
  { name: 'gpt-4o-mini-fast', apiStyle: 'openai', model: 'gpt-4o-mini' },
  { name: 'claude-sonnet', apiStyle: 'anthropic', model: 'claude-sonnet-4-5-20250929' },
  { name: 'claude-haiku', apiStyle: 'anthropic', model: 'claude-haiku-4-5-20251001' },
];

/** Below this `max_completion_tokens`, a reasoning model spends the whole budget thinking and says nothing. */
export const REASONING_EMPTY_BELOW = 50;
/** Hidden reasoning tokens a reasoning model spends before its visible answer. */
export const REASONING_TOKENS = 32;

// A model id (or Azure deployment name) may carry a fault: `gpt-4o-sim-429`, `claude-sonnet-sim-tps:5`.
const MODEL_FAULT_SEPARATOR = '-sim-';

/** Splits `<model>-sim-<fault>` into the model and the fault. */
export function splitModelFault(model: string): { model: string; fault: string | null } {
  const at = model.indexOf(MODEL_FAULT_SEPARATOR);
  if (at < 0) return { model, fault: null };
  return { model: model.slice(0, at), fault: model.slice(at + MODEL_FAULT_SEPARATOR.length) };
}
