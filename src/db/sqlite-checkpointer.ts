// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit pushes the
// WAL past 1,000 pages: at a few hundred chat turns a second (about 16 pages a turn) that is a commit every
// tenth of a second that also copies 4 MB back into the database and waits for two fsyncs, on the thread
// that serves every request — the spikes in the p99 of issue 8's overhead runs. The server turns the
// automatic checkpoint off and a worker thread with its own connection checkpoints instead. If the worker
// ever dies, the automatic checkpoint is turned back on, so the WAL cannot grow without bound.
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

export interface SqliteCheckpointer {
  /** Stops the worker after a last checkpoint; the server's connection goes back to automatic checkpoints. */
  stop(): Promise<void>;
}

export const CHECKPOINT_INTERVAL_MS = 200;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export function startSqliteCheckpointer(connection: SQLite.Database, file: string, intervalMs = CHECKPOINT_INTERVAL_MS): SqliteCheckpointer {
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.ts', import.meta.url), { workerData: { file, intervalMs } });
  // The worker must not keep a CLI or a test process alive; the server is kept alive by its socket.
  worker.unref();
  connection.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const fallBack = () => {
    if (connection.open) connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', fallBack);
  worker.once('exit', () => {
    if (!stopping) fallBack();
  });
  return {
    async stop() {
      stopping = true;
      fallBack();
      worker.postMessage('stop');
      await exited;
    },
  };
}
