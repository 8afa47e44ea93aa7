// A DatasetSource over one SQLite file: queries run sandboxed in query processes (sqlite-query-runner.ts);
// the description is read from the file once and annotated with the words a schema cannot say.
import type { DatasetDescription, DatasetSource, DatasetTable } from './dataset-source.ts';
import { createSqliteQueryRunner } from './sqlite-query-runner.ts';

/** Human descriptions laid over the schema read from the file. */
export interface DatasetAnnotations {
  notes: string[];
  tables: Record<string, { description: string; columns?: Record<string, string> }>;
}

export interface SqliteDatasetSourceOptions {
  path: string;
  name: string;
  summary: string;
  annotations?: DatasetAnnotations;
  poolSize?: number;
}

/** Merges annotations into the schema read from the file (pure). */
export function annotateTables(tables: DatasetTable[], annotations: DatasetAnnotations | undefined): DatasetTable[] {
  if (annotations === undefined) return tables;
  return tables.map((table) => {
    const words = annotations.tables[table.name];
    if (words === undefined) return table;
    return {
      ...table,
      description: words.description,
      columns: table.columns.map((column) => {
        const description = words.columns?.[column.name];
        return description === undefined ? column : { ...column, description };
      }),
    };
  });
}

/** Opens a read-only DatasetSource over the SQLite file at `path` (no process starts until the first call). */
export function createSqliteDatasetSource(options: SqliteDatasetSourceOptions): DatasetSource {
  const runner = createSqliteQueryRunner({ path: options.path, poolSize: options.poolSize });
  let description: Promise<DatasetDescription> | null = null;

  return {
    name: options.name,
    dialect: 'sqlite',
    summary: options.summary,
    describe(signal) {
      // The file never changes while open, so one read serves every session; a failed read is retried.
      if (description === null) {
        const pending = runner.describe({ signal }).then((tables) => ({
          name: options.name,
          dialect: 'sqlite' as const,
          tables: annotateTables(tables, options.annotations),
          notes: options.annotations?.notes ?? [],
        }));
        description = pending;
        pending.catch(() => {
          if (description === pending) description = null;
        });
      }
      return description;
    },
    query: (sql, queryOptions) => runner.query(sql, queryOptions),
    close: () => runner.close(),
  };
}
