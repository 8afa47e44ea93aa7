// The orchestrator's tools for a tenant: describe_dataset and run_query over the tenant's dataset.
import type { AppContext } from '../app-context.ts';
import { createAgentTools, type AgentTools } from './agent/tools/agent-tools.ts';

export interface TenantTools extends AgentTools {
  datasetName: string;
  datasetSummary: string;
  dialect: string;
}

export async function toolsForTenant(ctx: Pick<AppContext, 'datasets'>, tenantId: string): Promise<TenantTools> {
  const source = await ctx.datasets.sourceFor(tenantId);
  return { ...createAgentTools(source), datasetName: source.name, datasetSummary: source.summary, dialect: source.dialect };
}
