// Ordering the provider's model list for a picker: the models recommended for this role first.
import type { CatalogModel } from '../../../api/api-types.ts';

export type ModelRole = 'orchestrator' | 'fast';

export function sortForRole(models: CatalogModel[], role: ModelRole): { recommended: CatalogModel[]; others: CatalogModel[] } {
  const recommended = models.filter((m) => m.recommendedFor.includes(role));
  const others = models.filter((m) => !m.recommendedFor.includes(role));
  return { recommended, others };
}

/** The model to preselect for a role: the first recommended one, else nothing (the admin picks). */
export function defaultFor(models: CatalogModel[], role: ModelRole): string {
  return models.find((m) => m.recommendedFor.includes(role))?.id ?? '';
}

export const ROLE_TEXT: Record<ModelRole, string> = {
  orchestrator: 'the orchestrator agent: drives chats, agent runs and tool calls',
  fast: 'cheaper, lower-latency flows: titles, suggested follow-ups',
};
