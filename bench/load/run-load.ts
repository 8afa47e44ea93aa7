// Runs a load job in a separate process (bench/load/load-process.ts), sampling a watched process
// (Mosaic) right before and right after the measured window.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { ChildMessage, LoadJob, LoadResult } from './load-job.ts';

export async function runLoad<R extends LoadResult, S>(job: LoadJob, around: { before: () => S | Promise<S>; after: () => S | Promise<S> }, timeoutMs: number): Promise<{ result: R; before: S; after: S }> {
  const child = fork(path.join(import.meta.dirname, 'load-process.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    return await new Promise((resolve, reject) => {
      let before: S;
      const timer = setTimeout(() => reject(new Error(`load job did not finish within ${timeoutMs} ms`)), timeoutMs);
      child.once('exit', (code) => reject(new Error(`load process exited (${code})`)));
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`load process: ${message.message}`));
        } else if (message.type === 'ready') {
          void Promise.resolve(around.before()).then((value) => {
            before = value;
            child.send({ type: 'go' });
          });
        } else if (message.type === 'result') {
          clearTimeout(timer);
          void Promise.resolve(around.after()).then((after) => resolve({ result: message.result as R, before, after }));
        }
      });
      child.send({ type: 'prepare', job });
    });
  } finally {
    child.kill('SIGKILL');
  }
}
