// run_query: one read-only SQL query on the tenant's dataset. Refusals, SQL errors and timeouts come back
// as results with a code and a message the model can act on (fix the SQL, aggregate, narrow the query).
import { z } from 'zod';
import { DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_ROWS, DEFAULT_QUERY_TIMEOUT_MS, type DatasetSource } from '../../../datasets/dataset-source.ts';
import { isDatasetQueryError } from '../../../datasets/dataset-query-error.ts';
import { toolError, type AgentTool } from './agent-tool.ts';

export const RUN_QUERY = 'run_query';
export const MAX_SQL_CHARS = 10_000;

export interface RunQueryToolOptions {
  maxRows?: number;
  timeoutMs?: number;
}

const runQueryInput = z.object({ sql: z.string().min(1).max(MAX_SQL_CHARS) });

const DIALECT_HINTS: Record<DatasetSource['dialect'], string> = {
  sqlite:
    "Dialect: SQLite. Dates are text: strftime('%Y-%m', order_date) gives the month, date('2024-01-01', '+1 month') does date arithmetic; " +
    'use || to join strings, LIMIT n for top-n, CAST(x AS REAL) before dividing integers. There is no DATE_TRUNC, ILIKE or TOP.',
};

/** The run_query tool over `source`. */
export function createRunQueryTool(source: DatasetSource, options: RunQueryToolOptions = {}): AgentTool {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  return {
    spec: {
      name: RUN_QUERY,
      description:
        `Run one read-only SQL query on the "${source.name}" dataset and get back {columns, rows, rowCount, truncated}. ${source.summary} ` +
        `${DIALECT_HINTS[source.dialect]} ` +
        'Send exactly one SELECT (WITH … SELECT is fine); writes, ATTACH, PRAGMA (other than PRAGMA table_info) and several statements are refused. ' +
        `At most ${maxRows} rows and ${Math.round(DEFAULT_MAX_RESULT_BYTES / 1024)} KiB come back (truncated: true when there were more), so aggregate in SQL ` +
        `(GROUP BY, SUM, COUNT) rather than reading raw rows. A query is stopped after ${timeoutMs / 1000} s. ` +
        'Call describe_dataset first if you are unsure of table or column names.',
      inputSchema: {
        type: 'object',
        properties: {
          sql: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_SQL_CHARS,
            description: `One ${source.dialect === 'sqlite' ? 'SQLite ' : ''}SELECT statement.`,
          },
        },
        required: ['sql'],
        additionalProperties: false,
      },
    },
    async execute(input, signal) {
      const parsed = runQueryInput.safeParse(input);
      if (!parsed.success) {
        return toolError(
          RUN_QUERY,
          'invalid_input',
          `run_query needs {"sql": "<one SELECT statement>"} with 1 to ${MAX_SQL_CHARS.toLocaleString('en-US')} characters of SQL.`,
        );
      }
      try {
        const result = await source.query(parsed.data.sql, { maxRows, timeoutMs, signal });
        const output = {
          columns: result.columns,
          rows: result.rows,
          rowCount: result.rowCount,
          truncated: result.truncated,
          ...(result.truncated
            ? { note: `Only the first ${result.rowCount} rows are shown. Aggregate in SQL (GROUP BY) or add ORDER BY … LIMIT to get what matters.` }
            : {}),
        };
        const rows = `${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'}${result.truncated ? ' (truncated)' : ''}`;
        return { output, isError: false, summary: `${RUN_QUERY}: ${rows} in ${result.durationMs} ms` };
      } catch (error) {
        if (isDatasetQueryError(error)) return toolError(RUN_QUERY, error.code, error.message);
        return toolError(RUN_QUERY, 'tool_failed', 'The query failed unexpectedly. Try again later.');
      }
    },
  };
}
