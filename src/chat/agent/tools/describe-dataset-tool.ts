// describe_dataset: the schema lookup. The model calls it first, then writes SQL for run_query.
import type { DatasetDescription, DatasetSource } from '../../../datasets/dataset-source.ts';
import { isDatasetQueryError } from '../../../datasets/dataset-query-error.ts';
import { toolError, type AgentTool } from './agent-tool.ts';

export const DESCRIBE_DATASET = 'describe_dataset';

/** The description as the model reads it: only what helps write SQL, flags left out when false. */
export function toCompactDescription(description: DatasetDescription): unknown {
  return {
    dataset: description.name,
    dialect: description.dialect,
    notes: description.notes,
    tables: description.tables.map((table) => ({
      name: table.name,
      ...(table.description ? { description: table.description } : {}),
      rowCount: table.rowCount,
      columns: table.columns.map((column) => ({
        name: column.name,
        type: column.type,
        ...(column.primaryKey ? { primaryKey: true } : {}),
        ...(column.references ? { references: column.references } : {}),
        ...(column.nullable ? { nullable: true } : {}),
        ...(column.description ? { description: column.description } : {}),
        samples: column.samples.slice(0, 3),
      })),
    })),
  };
}

/** The describe_dataset tool over `source`. It takes no input (anything given is ignored). */
export function createDescribeDatasetTool(source: DatasetSource): AgentTool {
  return {
    spec: {
      name: DESCRIBE_DATASET,
      description:
        `List the tables of the "${source.name}" dataset: columns with their ${source.dialect === 'sqlite' ? 'SQLite ' : ''}types and keys, ` +
        'row counts, up to 3 sample values per column, and notes on dates and money. ' +
        `Call it before writing a query for run_query. ${source.summary}`,
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    },
    async execute(input, signal) {
      if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
        return toolError(DESCRIBE_DATASET, 'invalid_input', 'describe_dataset takes no input: call it with {}.');
      }
      try {
        const description = await source.describe(signal);
        return {
          output: toCompactDescription(description),
          isError: false,
          summary: `${DESCRIBE_DATASET}: ${description.tables.length} tables`,
        };
      } catch (error) {
        if (isDatasetQueryError(error)) return toolError(DESCRIBE_DATASET, error.code, error.message);
        return toolError(DESCRIBE_DATASET, 'tool_failed', 'The dataset could not be described. Try again later.');
      }
    },
  };
}
