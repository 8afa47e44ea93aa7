// Anthropic's model list: GET {base}/v1/models, every page (has_more / last_id → after_id).
import { z } from 'zod';
import { ProviderError } from '../provider-error.ts';
import { getJson, trimSlash } from '../provider-http.ts';
import type { ListedModel } from '../provider.ts';
import type { ToProviderErrorOptions } from '../upstream-failure.ts';

export const anthropicModelsPageSchema = z.object({
  data: z.array(z.object({ id: z.string(), display_name: z.string().nullish() })),
  has_more: z.boolean().nullish(),
  last_id: z.string().nullish(),
});
export type AnthropicModelsPage = z.infer<typeof anthropicModelsPageSchema>;

const MAX_PAGES = 50;

export interface ListAnthropicModelsOptions {
  /** The Anthropic base URL without /v1 (https://api.anthropic.com). */
  baseUrl: string;
  /** Headers that carry the key (x-api-key, or api-key on Azure). */
  authHeaders: Record<string, string>;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  errors: ToProviderErrorOptions;
  signal?: AbortSignal;
}

export async function listAnthropicModels(options: ListAnthropicModelsOptions): Promise<ListedModel[]> {
  const models: ListedModel[] = [];
  let afterId: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(`${trimSlash(options.baseUrl)}/v1/models`);
    url.searchParams.set('limit', '100');
    if (afterId !== null) url.searchParams.set('after_id', afterId);
    const body = await getJson(url.toString(), {
      fetch: options.fetch,
      headers: { ...options.authHeaders, 'anthropic-version': '2023-06-01', accept: 'application/json' },
      timeoutMs: options.timeoutMs,
      errors: options.errors,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const parsed = anthropicModelsPageSchema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderError({ code: 'unexpected_response', message: `${options.errors.provider}'s model list did not have the expected shape.` });
    }
    for (const m of parsed.data.data) models.push({ id: m.id, displayName: m.display_name ?? m.id });
    const last = parsed.data.last_id ?? parsed.data.data.at(-1)?.id ?? null;
    if (parsed.data.has_more !== true || last === null || last === afterId) break;
    afterId = last;
  }
  return models;
}
