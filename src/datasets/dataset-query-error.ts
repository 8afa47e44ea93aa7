// A query the dataset refused or could not finish. The code is stable (the admin timeline and tests key on
// it); the message is written for the model, so that it can fix its query and try again.

export type DatasetQueryErrorCode =
  /** No statement in the text (empty, or comments only). */
  | 'empty_query'
  /** More than one statement; send one SELECT per call. */
  | 'multiple_statements'
  /** The connection refused the statement: a write, DDL, ATTACH/DETACH, PRAGMA, a transaction, VACUUM, extension loading. */
  | 'not_read_only'
  /** SQLite could not compile or run it: a syntax error, an unknown table or column, a value too big. */
  | 'sql_error'
  /** It ran longer than the statement timeout and was stopped. */
  | 'timeout'
  /** The caller aborted it. */
  | 'aborted'
  /** The dataset is closed or its query process failed; retrying later may work. */
  | 'unavailable';

export class DatasetQueryError extends Error {
  override name = 'DatasetQueryError';
  readonly code: DatasetQueryErrorCode;

  constructor(code: DatasetQueryErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: DatasetQueryErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const isDatasetQueryError = (value: unknown): value is DatasetQueryError => value instanceof DatasetQueryError;
