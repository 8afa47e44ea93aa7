// Azure's model list. The v1 models endpoint lists the resource's base models, not its deployments (the
// names a call needs), and some resources do not serve it at all: a 404 is an empty list, the admin types
// deployment names.
import { ProviderError } from '../provider-error.ts';
import { listOpenAIModels } from '../openai/openai-models.ts';
import type { ListedModel } from '../provider.ts';
import type { ToProviderErrorOptions } from '../upstream-failure.ts';

export interface ListAzureModelsOptions {
  endpoint: string;
  apiKey: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  errors: ToProviderErrorOptions;
  signal?: AbortSignal;
}

export async function listAzureModels(options: ListAzureModelsOptions): Promise<ListedModel[]> {
  try {
    return await listOpenAIModels({
      url: `${options.endpoint}/openai/v1/models`,
      authHeaders: { 'api-key': options.apiKey },
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      errors: options.errors,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof ProviderError && error.status === 404) return [];
    throw error;
  }
}
