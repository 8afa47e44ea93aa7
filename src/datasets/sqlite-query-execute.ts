// Runs one model-written query, or the describe step, on a sandboxed connection (sqlite-sandbox.ts). Pure
// synchronous work: it runs inside a query process (sqlite-query-process.ts), never on the server's thread.
// Reading stops as soon as the row or size cap is reached, so a query returning millions of rows costs
// no more than one returning the cap.
import type { StatementSync } from 'node:sqlite';
import type { DatasetTable } from './dataset-source.ts';
import { DatasetQueryError } from './dataset-query-error.ts';
import type { Denial, SandboxedDataset } from './sqlite-sandbox.ts';

export interface ExecuteLimits {
  maxRows: number;
  maxBytes: number;
}

export interface ExecuteResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

/** Longest text a single cell returns; longer ones end with "…". */
export const MAX_CELL_CHARS = 1_000;
const MAX_SAMPLE_CHARS = 60;
const SAMPLES_PER_COLUMN = 3;
const SQLITE_AUTH = 23;
const SQLITE_READONLY = 8;

/** Executes `sql` as one read-only statement; throws DatasetQueryError with a message for the model. */
export function executeQuery(sandbox: SandboxedDataset, sql: string, limits: ExecuteLimits): ExecuteResult {
  sandbox.takeDenial();
  const stmt = prepareOne(sandbox, sql);
  const columns = stmt.columns().map((c) => c.name);
  // Statements without result columns (VACUUM, REINDEX, anything the authorizer does not know as a write)
  // are never run: a query that answers nothing has no business here.
  if (columns.length === 0) {
    throw new DatasetQueryError('not_read_only', 'The statement returns no rows, so it was not run: only a SELECT (or WITH … SELECT, VALUES) query runs here.');
  }
  stmt.setReturnArrays(true);
  const rows: unknown[][] = [];
  let bytes = Buffer.byteLength(JSON.stringify(columns));
  let truncated = false;
  try {
    for (const raw of stmt.iterate() as Iterable<unknown[]>) {
      if (rows.length >= limits.maxRows) {
        truncated = true;
        break;
      }
      const row = raw.map((value) => toResultValue(value));
      const size = Buffer.byteLength(JSON.stringify(row)) + 1;
      if (bytes + size > limits.maxBytes) {
        truncated = true;
        break;
      }
      bytes += size;
      rows.push(row);
    }
  } catch (error) {
    throw toQueryError(error, sandbox.takeDenial());
  }
  return { columns, rows, rowCount: rows.length, truncated };
}

function prepareOne(sandbox: SandboxedDataset, sql: string): StatementSync {
  let stmt: StatementSync;
  try {
    stmt = sandbox.db.prepare(sql);
  } catch (error) {
    throw toQueryError(error, sandbox.takeDenial());
  }
  // node:sqlite compiles the first statement and ignores the rest; SQLite's own parse tells where it ended.
  const first = stmt.sourceSQL;
  if (!sql.startsWith(first) || !isOnlyTrivia(sql.slice(first.length))) {
    throw new DatasetQueryError('multiple_statements', 'Send exactly one SQL statement per call (a single SELECT); the text had more than one.');
  }
  return stmt;
}

/** True when `text` holds nothing but whitespace, semicolons and comments. */
export function isOnlyTrivia(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ';' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i += 1;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

/** A cell as JSON can carry it: blobs become a placeholder, huge integers a string, long texts shortened. */
export function toResultValue(value: unknown, maxChars = MAX_CELL_CHARS): unknown {
  if (value === null || typeof value === 'number') return value;
  if (typeof value === 'string') return value.length > maxChars ? `${value.slice(0, maxChars)}…` : value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return `<blob ${value.byteLength} bytes>`;
  return String(value);
}

/** Maps a node:sqlite failure (plus what the authorizer refused) to the stable codes. */
export function toQueryError(error: unknown, denial: Denial | null): DatasetQueryError {
  if (error instanceof DatasetQueryError) return error;
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.code === 'ERR_INVALID_ARG_VALUE' && /no statements/i.test(message)) {
    return new DatasetQueryError('empty_query', 'The query is empty: send one SELECT statement.');
  }
  if (denial !== null || e.errcode === SQLITE_AUTH) return new DatasetQueryError('not_read_only', explainDenial(denial));
  if (e.errcode === SQLITE_READONLY) return new DatasetQueryError('not_read_only', explainDenial(null));
  if (e.code === 'ERR_SQLITE_ERROR') {
    const hint = /no such (table|column)/i.test(message)
      ? ' Call describe_dataset to see the tables and columns.'
      : /too big/i.test(message)
        ? ` Values are limited to about 1 MB.`
        : '';
    return new DatasetQueryError('sql_error', `SQLite rejected the query: ${message}.${hint}`);
  }
  return new DatasetQueryError('sql_error', `The query failed: ${message}`);
}

/** Explains a refusal in words that tell the model what it may do instead. */
export function explainDenial(denial: Denial | null): string {
  const rule = 'The dataset is read-only: only one SELECT (or WITH … SELECT) query runs here.';
  if (denial === null) return rule;
  const subject = denial.subject ?? '';
  switch (denial.action) {
    case 'ATTACH':
    case 'DETACH':
      return `${denial.action} is refused: a query can read only this dataset (VACUUM is refused for the same reason). ${rule}`;
    case 'PRAGMA':
      return `PRAGMA ${subject} is refused; only schema pragmas such as PRAGMA table_info(<table>) are allowed, and describe_dataset gives the whole schema. ${rule}`;
    case 'FUNCTION':
      return `The function ${subject}() is refused. ${rule}`;
    case 'TRANSACTION':
    case 'SAVEPOINT':
      return `Transactions are refused. ${rule}`;
    default:
      return `${denial.action.replaceAll('_', ' ')}${subject ? ` on ${subject}` : ''} is refused. ${rule}`;
  }
}

/** The schema as the model needs it: tables in creation order, columns, keys, row counts, sample values. */
export function describeDatabase(sandbox: SandboxedDataset): DatasetTable[] {
  const db = sandbox.db;
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")
    .all() as Array<{ name: string }>;
  return tables.map(({ name }) => {
    const table = quoteIdentifier(name);
    const rowCount = Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
    const references = new Map<string, string>();
    for (const fk of db.prepare('SELECT "from" AS col, "table" AS target, "to" AS target_col FROM pragma_foreign_key_list(?)').all(name) as Array<{ col: string; target: string; target_col: string | null }>) {
      references.set(fk.col, `${fk.target}.${fk.target_col ?? 'rowid'}`);
    }
    const columns = (db.prepare('SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?) ORDER BY cid').all(name) as Array<{ name: string; type: string; not_null: number; pk: number }>).map((c) => {
      const column = quoteIdentifier(c.name);
      const samples = (db.prepare(`SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL LIMIT ${SAMPLES_PER_COLUMN}`).all() as Array<{ v: unknown }>).map((r) =>
        toResultValue(r.v, MAX_SAMPLE_CHARS),
      );
      return {
        name: c.name,
        type: c.type,
        nullable: c.not_null === 0 && c.pk === 0,
        primaryKey: c.pk > 0,
        references: references.get(c.name) ?? null,
        samples,
      };
    });
    return { name, rowCount, columns };
  });
}

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
