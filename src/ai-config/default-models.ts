// The fast model when the admin names none: the catalog's recommended fast model of the same provider;
// for Azure (deployments the admin types) the orchestrator's deployment.
import { recommendedModels } from '../providers/catalog/model-catalog.ts';
import type { ProviderKind } from '../providers/provider.ts';

export function defaultFastModel(kind: ProviderKind, orchestrator: string): string {
  if (kind === 'azure') return orchestrator;
  return recommendedModels(kind).fast ?? orchestrator;
}
