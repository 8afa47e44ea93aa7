// The fast model when the admin names none: the catalog's recommended fast model of the same provider.
// For Azure (deployments the admin types) the deployment whose `modelOf` is a fast-class catalog model —
// the catalog's first choice if deployed — else the orchestrator's deployment: titles and follow-ups
// must not run (and be billed) on GPT-4o when a GPT-4o-mini deployment is right there.
import { findCatalogModel, recommendedModels } from '../providers/catalog/model-catalog.ts';
import type { AzureSettings, ProviderKind } from '../providers/provider.ts';

export function defaultFastModel(kind: ProviderKind, orchestrator: string, azure: AzureSettings | null = null): string {
  if (kind !== 'azure') return recommendedModels(kind).fast ?? orchestrator;
  if (azure === null) return orchestrator;
  const family = azure.apiStyle === 'anthropic' ? 'anthropic' : 'openai';
  const primary = recommendedModels(family).fast;
  const deployed = Object.entries(azure.modelOf)
    .filter(([deployment]) => deployment !== orchestrator)
    .map(([deployment, model]) => ({ deployment, model: findCatalogModel(family, model) }));
  const choice =
    deployed.find((d) => d.model !== null && d.model.id === primary) ??
    deployed.find((d) => d.model?.recommendedFor === 'fast');
  return choice?.deployment ?? orchestrator;
}
