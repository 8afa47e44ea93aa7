// The orchestrator's tools for a tenant: describe_dataset and run_query over the tenant's dataset.
import type { AppContext } from '../app-context.ts';
import type { DatasetSource } from '../datasets/dataset-source.ts';
import { createAgentTools, type AgentTools } from './agent/tools/agent-tools.ts';

export interface TenantTools extends AgentTools {
  datasetName: string;
  datasetSummary: string;
  dialect: string;
}

// The tools hold no state of a turn, so one set per dataset source serves every turn (building them per
// turn showed among the allocations that outlive the young generation: issue 8).
const toolsBySource = new WeakMap<DatasetSource, TenantTools>();

export async function toolsForTenant(ctx: Pick<AppContext, 'datasets'>, tenantId: string): Promise<TenantTools> {
  const source = await ctx.datasets.sourceFor(tenantId);
  let tools = toolsBySource.get(source);
  if (tools === undefined) {
    tools = { ...createAgentTools(source), datasetName: source.name, datasetSummary: source.summary, dialect: source.dialect };
    toolsBySource.set(source, tools);
  }
  return tools;
}
