// The model catalog: known models per provider with their prices (model-catalog.json, dated, with its
// sources). It recommends default models and prices every call. A model the catalog does not know is
// priced at its provider's highest catalog price and marked estimated, so no call escapes a budget.
import { z } from 'zod';
import type { ProviderKind } from '../provider.ts';
import data from './model-catalog.json' with { type: 'json' };

export type CatalogProvider = 'anthropic' | 'openai';
export type ModelRole = 'orchestrator' | 'fast';

const catalogModelSchema = z.strictObject({
  id: z.string().min(1),
  displayName: z.string().min(1),
  /** The undated name a dated id belongs to (claude-sonnet-4-5 → claude-sonnet-4-5-20250929). */
  family: z.string().min(1),
  aliases: z.array(z.string().min(1)),
  contextWindow: z.number().int().positive(),
  inputPerMTokUsd: z.number().nonnegative(),
  outputPerMTokUsd: z.number().nonnegative(),
  recommendedFor: z.enum(['orchestrator', 'fast']).nullable(),
});
export type CatalogModel = z.infer<typeof catalogModelSchema>;

const catalogSchema = z.strictObject({
  asOf: z.iso.date(),
  source: z.strictObject({ anthropic: z.url(), openai: z.url() }),
  providers: z.strictObject({ anthropic: z.array(catalogModelSchema).min(1), openai: z.array(catalogModelSchema).min(1) }),
});
export type ModelCatalog = z.infer<typeof catalogSchema>;

/** Parsed once at load: a malformed data file fails at start, not on the first priced call. */
export const modelCatalog: ModelCatalog = catalogSchema.parse(data);

export interface ModelPrice {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
  /** True when the model is not in the catalog and was priced at its provider's highest price. */
  estimated: boolean;
  catalogModelId: string | null;
}

// Provider naming habits: Anthropic dates ids as -YYYYMMDD (Vertex writes @YYYYMMDD), OpenAI as
// -YYYY-MM-DD (older GPT-4 snapshots as -MMDD); both offer -latest pointers.
const FAMILY_SUFFIXES: Record<CatalogProvider, RegExp[]> = {
  anthropic: [/[-@]\d{8}$/, /-latest$/],
  openai: [/-\d{4}-\d{2}-\d{2}$/, /-\d{4}$/, /-latest$/],
};

/** The catalog model a provider's model name means (exact id, alias, or a dated/undated variant). */
export function findCatalogModel(kind: ProviderKind, modelId: string): (CatalogModel & { provider: CatalogProvider }) | null {
  const providers: CatalogProvider[] = kind === 'azure' ? ['openai', 'anthropic'] : [kind];
  for (const provider of providers) {
    const found = findIn(provider, modelId);
    if (found) return { ...found, provider };
  }
  return null;
}

function findIn(provider: CatalogProvider, modelId: string): CatalogModel | null {
  const name = modelId.trim().toLowerCase();
  const models = modelCatalog.providers[provider];
  const direct = models.find((m) => m.id === name || m.aliases.includes(name)) ?? models.find((m) => m.family === name);
  if (direct) return direct;
  for (const suffix of FAMILY_SUFFIXES[provider]) {
    if (!suffix.test(name)) continue;
    const family = name.replace(suffix, '');
    const match = models.find((m) => m.family === family);
    if (match) return match;
  }
  return null;
}

/** The catalog's recommended defaults; Azure has none (its models are deployments the admin names). */
export function recommendedModels(kind: ProviderKind): { orchestrator: string | null; fast: string | null } {
  if (kind === 'azure') return { orchestrator: null, fast: null };
  const models = modelCatalog.providers[kind];
  return {
    orchestrator: models.find((m) => m.recommendedFor === 'orchestrator')?.id ?? null,
    fast: models.find((m) => m.recommendedFor === 'fast')?.id ?? null,
  };
}

/** What the catalog recommends a listed model for (empty for unknown models and Azure deployments). */
export function recommendationFor(kind: ProviderKind, modelId: string): ModelRole[] {
  if (kind === 'azure') return [];
  const model = findCatalogModel(kind, modelId);
  return model?.recommendedFor ? [model.recommendedFor] : [];
}

export interface PriceQuery {
  kind: ProviderKind;
  /** The model name sent to the provider; for Azure, the deployment name. */
  model: string;
  /** Azure only: deployment name → catalog model id (the connection's azure.modelOf). */
  azureModelOf?: Record<string, string> | null;
}

/** The price of one model call's tokens; unknown models get their provider's highest price, estimated. */
export function priceFor(query: PriceQuery): ModelPrice {
  if (query.kind === 'azure') {
    const catalogId = query.azureModelOf?.[query.model];
    const model = catalogId === undefined ? null : findCatalogModel('azure', catalogId);
    return model ? priceOf(model) : highestPrice(['openai', 'anthropic']);
  }
  const model = findCatalogModel(query.kind, query.model);
  return model ? priceOf(model) : highestPrice([query.kind]);
}

function priceOf(model: CatalogModel): ModelPrice {
  return {
    inputPerMTokUsd: model.inputPerMTokUsd,
    outputPerMTokUsd: model.outputPerMTokUsd,
    estimated: false,
    catalogModelId: model.id,
  };
}

// Input and output maxima are taken separately: the dearest input and the dearest output may belong to
// different models, and the bound must hold for either.
function highestPrice(providers: CatalogProvider[]): ModelPrice {
  const models = providers.flatMap((p) => modelCatalog.providers[p]);
  return {
    inputPerMTokUsd: Math.max(...models.map((m) => m.inputPerMTokUsd)),
    outputPerMTokUsd: Math.max(...models.map((m) => m.outputPerMTokUsd)),
    estimated: true,
    catalogModelId: null,
  };
}
