// What one agent tool is: a provider-neutral spec for the model and an executor that never throws.
import type { ToolSpec } from '../../../providers/provider.ts';

/** A tool call's outcome. Failures are results the model reads and acts on, never exceptions. */
export interface AgentToolResult {
  /** What goes back to the model as the tool result. */
  output: unknown;
  isError: boolean;
  /** One line for the admin timeline ("run_query: 12 rows in 8 ms"): never row data or SQL. */
  summary: string;
}

export interface AgentTool {
  spec: ToolSpec;
  execute(input: unknown, signal?: AbortSignal): Promise<AgentToolResult>;
}

/** The error result shape every tool returns: {error: {code, message}}. */
export function toolError(tool: string, code: string, message: string): AgentToolResult {
  return { output: { error: { code, message } }, isError: true, summary: `${tool}: error (${code})` };
}
