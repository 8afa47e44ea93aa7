// The orchestrator agent's tools over one dataset: the specs to send to the model and one executor that
// dispatches by name. Nothing here throws at the agent loop: an unknown tool, bad input or a failed query
// is an error result the model sees and can correct.
import type { ToolSpec } from '../../../providers/provider.ts';
import type { DatasetSource } from '../../../datasets/dataset-source.ts';
import { toolError, type AgentTool, type AgentToolResult } from './agent-tool.ts';
import { createDescribeDatasetTool } from './describe-dataset-tool.ts';
import { createRunQueryTool, type RunQueryToolOptions } from './run-query-tool.ts';

export type { AgentToolResult } from './agent-tool.ts';

export interface AgentTools {
  /** describe_dataset first: the simulator (and a model with no better idea) calls the first tool. */
  specs: ToolSpec[];
  execute(name: string, input: unknown, signal?: AbortSignal): Promise<AgentToolResult>;
}

/** Tool names are model output: shorten them before they reach a summary. */
const clip = (text: string): string => (text.length > 64 ? `${text.slice(0, 64)}…` : text);

export function createAgentTools(source: DatasetSource, options: RunQueryToolOptions = {}): AgentTools {
  const tools: AgentTool[] = [createDescribeDatasetTool(source), createRunQueryTool(source, options)];
  const byName = new Map(tools.map((tool) => [tool.spec.name, tool]));
  const known = tools.map((tool) => tool.spec.name).join(', ');
  return {
    specs: tools.map((tool) => tool.spec),
    async execute(name, input, signal) {
      const tool = byName.get(name);
      if (tool === undefined) {
        const result = toolError(clip(String(name)), 'unknown_tool', `There is no tool named "${clip(String(name))}". The tools are: ${known}.`);
        return { ...result, summary: `unknown tool "${clip(String(name))}"` };
      }
      try {
        return await tool.execute(input, signal);
      } catch {
        return toolError(name, 'tool_failed', 'The tool failed unexpectedly. Try again later.');
      }
    },
  };
}
