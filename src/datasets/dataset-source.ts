// The one interface the agent's tools speak to a tenant's data. The embedded sample dataset implements it
// over a sandboxed SQLite file today; a Power BI connector can implement it later without touching the agent.

/** A column as the model sees it: enough to write correct SQL without a look at the raw schema. */
export interface DatasetColumn {
  name: string;
  /** The declared type, e.g. INTEGER, TEXT, REAL ('' when the source does not say). */
  type: string;
  nullable: boolean;
  primaryKey: boolean;
  /** "table.column" this column points at, or null. */
  references: string | null;
  /** Up to three distinct non-null values, long texts shortened. */
  samples: unknown[];
  description?: string;
}

export interface DatasetTable {
  name: string;
  rowCount: number;
  columns: DatasetColumn[];
  description?: string;
}

export interface DatasetDescription {
  name: string;
  dialect: DatasetDialect;
  tables: DatasetTable[];
  /** Facts the model needs that no column says (date formats, currency, the period covered). */
  notes: string[];
}

/** The query language `query()` accepts; the tool descriptions tell the model which one. */
export type DatasetDialect = 'sqlite';

export interface QueryOptions {
  /** Rows returned at most; more rows set `truncated`. Default DEFAULT_MAX_ROWS. */
  maxRows?: number;
  /** Wall-clock bound from the call to the answer, queueing included. Default DEFAULT_QUERY_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Bound on the JSON size of the returned rows; rows beyond it set `truncated`. Default DEFAULT_MAX_RESULT_BYTES. */
  maxBytes?: number;
  /** Aborting stops the query at once (the user went away). */
  signal?: AbortSignal;
}

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  /** Rows returned (rows.length); the query may have had more when `truncated` is true. */
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}

export const DEFAULT_MAX_ROWS = 200;
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024;

/** A tenant's dataset. Failures of `query()` are thrown as DatasetQueryError (dataset-query-error.ts). */
export interface DatasetSource {
  /** Human name, e.g. "Sample sales". */
  readonly name: string;
  readonly dialect: DatasetDialect;
  /** One line for tool descriptions: what the data is and its main tables. */
  readonly summary: string;
  /** Tables, columns, row counts and sample values. Cheap after the first call. */
  describe(signal?: AbortSignal): Promise<DatasetDescription>;
  /** Runs one read-only query. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** Stops the source's helpers; later calls fail with `unavailable`. */
  close(): Promise<void>;
}
