// The messages between the server and a query process (sqlite-query-process.ts), one request at a time.
import type { DatasetQueryErrorCode } from './dataset-query-error.ts';

export type QueryProcessRequest =
  | { id: number; kind: 'query'; sql: string; maxRows: number; maxBytes: number }
  | { id: number; kind: 'describe' };

export type QueryProcessReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: DatasetQueryErrorCode; message: string } }
  /** The process could not open the dataset; it exits right after. */
  | { id: null; ok: false; fatal: string };
