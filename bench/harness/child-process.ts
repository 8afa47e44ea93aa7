// Child processes for the benchmark: each server runs in its own process, so the load generator, the
// simulator and Mosaic never share an event loop or a CPU accounting.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Everything written to stderr so far (last 64 KiB), for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A crashed or interrupted benchmark must not leave servers behind.
process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});

/**
 * Spawns `command` and resolves once `ready(line)` accepts a line of its stdout (returning a value),
 * or rejects when it exits first or `timeoutMs` passes.
 */
export function startChild<T>(
  command: string,
  args: string[],
  options: SpawnOptions & { ready: (line: string) => T | null; timeoutMs?: number; name: string },
): Promise<{ child: Child; value: T }> {
  const proc = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-65536);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => {
    live.delete(proc);
    resolve();
  }));
  const child: Child = {
    proc,
    pid: proc.pid ?? -1,
    stderrTail: () => stderr,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${options.name} did not start within ${options.timeoutMs ?? 30000} ms`)), options.timeoutMs ?? 30000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void child.stop();
      reject(new Error(`${error.message}\n${stderr.slice(-2000)}`));
    };
    proc.once('exit', (code, signal) => fail(new Error(`${options.name} exited (${code ?? signal}) before it was ready`)));
    proc.once('error', fail);
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (settled) return;
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0 && !settled) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const value = options.ready(line);
        if (value !== null) {
          settled = true;
          clearTimeout(timer);
          buffered = '';
          resolve({ child, value });
        }
        newline = buffered.indexOf('\n');
      }
    });
  });
}
