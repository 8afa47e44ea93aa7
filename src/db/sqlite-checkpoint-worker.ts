// The worker thread behind sqlite-checkpointer.ts: its own connection to the database file, copying the
// WAL back into the database every few hundred milliseconds (PASSIVE: it never waits for, nor blocks, the
// server's connection). Stops on a 'stop' message.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new SQLite(file);
db.pragma('busy_timeout = 5000');

const timer = setInterval(() => {
  db.pragma('wal_checkpoint(PASSIVE)');
}, intervalMs);

parentPort!.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.pragma('wal_checkpoint(PASSIVE)');
  db.close();
  parentPort!.close();
});
