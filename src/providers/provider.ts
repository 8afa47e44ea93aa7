// The provider-neutral interface: the only thing the rest of Mosaic knows about Anthropic, OpenAI and
// Azure. One model call at a time (the agent loop in chat/agent/ owns the steps, so that every call is
// budgeted and recorded on its own). Chat history is kept in this neutral form, so a session begun on
// one provider continues on another.
import type { Secret } from '../vault/secret.ts';

export type ProviderKind = 'anthropic' | 'openai' | 'azure';
export const PROVIDER_KINDS: readonly ProviderKind[] = ['anthropic', 'openai', 'azure'];

export interface AzureSettings {
  /** https://{resource}.openai.azure.com or https://{resource}.services.ai.azure.com */
  endpoint: string;
  apiStyle: 'openai' | 'anthropic';
  /** null = the v1 path (/openai/v1/…); a date = the dated deployments path with ?api-version=. */
  apiVersion: string | null;
  /** deployment name → catalog model id, for pricing. */
  modelOf: Record<string, string>;
}

/** Everything needed to reach one tenant's provider. */
export interface ConnectionSettings {
  kind: ProviderKind;
  apiKey: Secret;
  /** null = the operator's default for the kind (MOSAIC_*_BASE_URL), else the provider's public API. */
  baseUrl: string | null;
  azure: AzureSettings | null;
}

// ---- the neutral conversation ----
export type NeutralPart =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; id: string; name: string; input: unknown }
  | { type: 'tool-result'; id: string; name: string; output: unknown; isError?: boolean };

export type NeutralMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; parts: Array<Extract<NeutralPart, { type: 'text' | 'tool-call' }>> }
  | { role: 'tool'; results: Array<Extract<NeutralPart, { type: 'tool-result' }>> };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the input object. */
  inputSchema: Record<string, unknown>;
}

export interface ModelCallRequest {
  model: string;
  system?: string;
  messages: NeutralMessage[];
  tools?: ToolSpec[];
  maxOutputTokens: number;
  temperature?: number;
  /** Aborting cancels the upstream request at once (a user closed the browser). */
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type ModelStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; id: string; name: string; input: unknown }
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage: Usage;
      /** The model asked for (for Azure, the deployment name): what the catalog prices. */
      model: string;
      /** The model id the provider reported (e.g. a dated snapshot), when it said one. */
      responseModel?: string;
    };

export interface ModelCallResult {
  text: string;
  toolCalls: Array<{ id: string; name: string; input: unknown }>;
  finishReason: FinishReason;
  usage: Usage;
  /** The model asked for (for Azure, the deployment name): what the catalog prices. */
  model: string;
  /** The model id the provider reported (e.g. a dated snapshot), when it said one. */
  responseModel?: string;
}

export interface ListedModel {
  id: string;
  displayName: string;
}

/** One connection's client. Failures are thrown as ProviderError (providers/provider-error.ts). */
export interface ProviderClient {
  readonly kind: ProviderKind;
  /** Streams one model call. Retries happen only before the first event is yielded. */
  stream(request: ModelCallRequest): AsyncIterable<ModelStreamEvent>;
  /**
   * The same call handing each event to `sink` (no async hop per event; a promise the sink returns is
   * awaited before reading on). Resolves when the answer is complete. The chat streams this way.
   */
  streamTo(request: ModelCallRequest, sink: (event: ModelStreamEvent) => void | Promise<void>): Promise<void>;
  /** One model call, whole. */
  generate(request: ModelCallRequest): Promise<ModelCallResult>;
  /** The provider's own model list (all pages). Azure may return [] (deployments are typed by the admin). */
  listModels(signal?: AbortSignal): Promise<ListedModel[]>;
}

/** The contract's test-connection and save error codes. */
export type ProviderErrorCode =
  | 'invalid_api_key'
  | 'permission_denied'
  | 'admin_key_rejected'
  | 'key_format_mismatch'
  | 'model_not_found'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'provider_overloaded'
  | 'provider_error'
  | 'content_filtered'
  | 'timeout'
  | 'unreachable'
  | 'upstream_not_allowed'
  | 'bad_endpoint'
  | 'unexpected_response'
  | 'invalid_request';
