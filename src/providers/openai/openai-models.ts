// OpenAI's model list: GET {base}/models (base ends in /v1), one page `{object:"list", data:[{id,…}]}`.
import { z } from 'zod';
import { ProviderError } from '../provider-error.ts';
import { getJson, trimSlash } from '../provider-http.ts';
import type { ListedModel } from '../provider.ts';
import type { ToProviderErrorOptions } from '../upstream-failure.ts';

export const openAIModelsListSchema = z.object({
  data: z.array(z.object({ id: z.string(), owned_by: z.string().nullish() })),
});
export type OpenAIModelsList = z.infer<typeof openAIModelsListSchema>;

export interface ListOpenAIModelsOptions {
  /** URL of the models endpoint, e.g. https://api.openai.com/v1/models. */
  url: string;
  authHeaders: Record<string, string>;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  errors: ToProviderErrorOptions;
  signal?: AbortSignal;
}

export async function listOpenAIModels(options: ListOpenAIModelsOptions): Promise<ListedModel[]> {
  const body = await getJson(options.url, {
    fetch: options.fetch,
    headers: { ...options.authHeaders, accept: 'application/json' },
    timeoutMs: options.timeoutMs,
    errors: options.errors,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const parsed = openAIModelsListSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError({ code: 'unexpected_response', message: `${options.errors.provider}'s model list did not have the expected shape.` });
  }
  return parsed.data.data.map((m) => ({ id: m.id, displayName: m.id }));
}

export function openAIModelsUrl(baseUrl: string): string {
  return `${trimSlash(baseUrl)}/models`;
}
