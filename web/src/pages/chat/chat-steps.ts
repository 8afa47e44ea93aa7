// Tool calls and their results, paired by call id, from either the live stream or a stored message's
// parts. Pure mapping, so both sources render the same way.
import type { MessagePart } from '../../api/api-types.ts';

export interface ChatStep {
  id: string;
  name: string;
  input: unknown;
  output: unknown;
  /** true once the tool-result arrived. */
  done: boolean;
}

/** Adds a tool-call to the list (immutably). */
export function addToolCall(steps: ChatStep[], call: { id: string; name: string; input: unknown }): ChatStep[] {
  return [...steps, { id: call.id, name: call.name, input: call.input, output: undefined, done: false }];
}

/** Attaches a tool-result to its call; a result without a known call still shows up. */
export function addToolResult(steps: ChatStep[], result: { id: string; name: string; output: unknown }): ChatStep[] {
  if (!steps.some((s) => s.id === result.id)) {
    return [...steps, { id: result.id, name: result.name, input: undefined, output: result.output, done: true }];
  }
  return steps.map((s) => (s.id === result.id ? { ...s, output: result.output, done: true } : s));
}

/** A stored message's parts as steps; accepts both our names and AI-SDK-style toolCallId/toolName. */
export function stepsFromParts(parts: MessagePart[] | null | undefined): ChatStep[] {
  let steps: ChatStep[] = [];
  for (const raw of parts ?? []) {
    const part = raw as Record<string, unknown>;
    const id = String(part.id ?? part.toolCallId ?? '');
    const name = String(part.name ?? part.toolName ?? 'tool');
    if (part.type === 'tool-call') steps = addToolCall(steps, { id, name, input: part.input ?? part.args });
    else if (part.type === 'tool-result') steps = addToolResult(steps, { id, name, output: part.output ?? part.result });
  }
  return steps;
}

/** The SQL a run_query call ran, when there is one. */
export function sqlOf(step: ChatStep): string | null {
  const input = step.input as Record<string, unknown> | null | undefined;
  if (!input || typeof input !== 'object') return null;
  for (const key of ['sql', 'query', 'dax']) if (typeof input[key] === 'string') return input[key] as string;
  return null;
}

/** How many rows came back, from the usual shapes of a query result. */
export function rowCountOf(step: ChatStep): number | null {
  const output = step.output as Record<string, unknown> | unknown[] | null | undefined;
  if (Array.isArray(output)) return output.length;
  if (!output || typeof output !== 'object') return null;
  if (typeof output.rowCount === 'number') return output.rowCount;
  if (Array.isArray(output.rows)) return output.rows.length;
  return null;
}

/** A step's error, when the tool reported one. */
export function errorOf(step: ChatStep): string | null {
  const output = step.output as Record<string, unknown> | null | undefined;
  if (!output || typeof output !== 'object' || Array.isArray(output)) return null;
  const error = output.error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return null;
}

const TOOL_LABELS: Record<string, string> = {
  run_query: 'Query execution',
  get_schema: 'Dataset schema lookup',
  describe_dataset: 'Dataset schema lookup',
  list_tables: 'Dataset schema lookup',
};

export function toolLabel(name: string): string {
  return TOOL_LABELS[name] ?? name;
}

/**
 * A tool result as columns and rows of cells: run_query's compact `{columns, rows: unknown[][]}`, or an
 * array of row objects. Null when the result is not tabular.
 */
export function asTable(output: unknown): { columns: string[]; rows: unknown[][]; truncated: boolean } | null {
  const value = output as Record<string, unknown> | null | undefined;
  const rows = Array.isArray(output) ? output : Array.isArray(value?.rows) ? (value.rows as unknown[]) : null;
  if (!rows || rows.length === 0) return null;
  const truncated = value?.truncated === true;
  if (rows.every((r) => Array.isArray(r)) && Array.isArray(value?.columns)) {
    const columns = (value.columns as unknown[]).map((c) => (typeof c === 'string' ? c : String((c as { name?: unknown }).name ?? '')));
    return { columns, rows: rows as unknown[][], truncated };
  }
  if (rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    const columns = Object.keys(rows[0] as object);
    return { columns, rows: rows.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])), truncated };
  }
  return null;
}
