// A query process: holds one sandboxed connection to the dataset file (argv[2]) and answers requests over
// IPC. It is a process, not a worker thread, because a query stuck inside SQLite (a recursive CTE counting
// to 1e9) does not return to JavaScript: Worker#terminate() waits for it to finish, while SIGKILL ends it
// at once. The server kills this process when a query outlives its timeout or is aborted.
import { DatasetQueryError } from './dataset-query-error.ts';
import { describeDatabase, executeQuery } from './sqlite-query-execute.ts';
import type { QueryProcessReply, QueryProcessRequest } from './sqlite-query-protocol.ts';
import { openSandboxedDataset, type SandboxedDataset } from './sqlite-sandbox.ts';

function reply(message: QueryProcessReply): void {
  process.send?.(message);
}

function answer(sandbox: SandboxedDataset, request: QueryProcessRequest): QueryProcessReply {
  try {
    const result =
      request.kind === 'query'
        ? executeQuery(sandbox, request.sql, { maxRows: request.maxRows, maxBytes: request.maxBytes })
        : describeDatabase(sandbox);
    return { id: request.id, ok: true, result };
  } catch (error) {
    const e = error instanceof DatasetQueryError ? error : new DatasetQueryError('sql_error', `The query failed: ${(error as Error).message}`);
    return { id: request.id, ok: false, error: e.toJSON() };
  }
}

// Without the server there is nobody to answer: leave instead of lingering as an orphan.
process.on('disconnect', () => process.exit(0));

function start(path: string): void {
  let sandbox: SandboxedDataset;
  try {
    sandbox = openSandboxedDataset(path);
  } catch (error) {
    // Exit only once the reason has reached the server.
    const fatal: QueryProcessReply = { id: null, ok: false, fatal: (error as Error).message };
    process.send?.(fatal, undefined, undefined, () => process.exit(1));
    return;
  }
  process.on('message', (request: QueryProcessRequest) => reply(answer(sandbox, request)));
}

start(process.argv[2] ?? '');
