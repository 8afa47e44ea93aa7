// A real Mosaic in a child process (`node src/main.ts serve`), for the tests where the process itself
// matters: the browser tests, the whole-product canary (every line it logs), a kill -9 mid-answer.
// Embedded SQLite in the given data dir and a free port, as a person running `npm start` gets.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface MosaicProcessOptions {
  dataDir: string;
  /** Added to (and overriding) the defaults; the test's own DATABASE_URL / MOSAIC_MASTER_KEY are dropped. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface MosaicProcess {
  url: string;
  child: ChildProcess;
  /** Every line the process wrote to stdout and stderr so far. */
  lines: string[];
  /** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
  /** kill -9, for crash tests; resolves once the process is gone. */
  kill(): Promise<void>;
}

/** The `msg` of a JSON log line (or the line itself). */
export function logMessageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : '';
  } catch {
    return line;
  }
}

/** Starts Mosaic and resolves once it logs `Mosaic listening on <url>` (the bootstrap admin exists by then). */
export async function startMosaicProcess(options: MosaicProcessOptions): Promise<MosaicProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'MOSAIC_MASTER_KEY', 'MOSAIC_PUBLIC_URL']) delete env[name];
  Object.assign(env, {
    MOSAIC_HOST: '127.0.0.1',
    MOSAIC_PORT: '0',
    MOSAIC_DATA_DIR: options.dataDir,
    MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '1',
    MOSAIC_LOG_FORMAT: 'json',
    ...options.env,
  });
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the test process end without stopping it (a crash, Ctrl-C), the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  const killOnSignal = (signal: NodeJS.Signals) => {
    child.kill('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);
  const forget = () => {
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', killOnSignal);
    process.removeListener('SIGTERM', killOnSignal);
  };

  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const ready = new Promise<string>((resolve, reject) => {
    const onLine = (line: string) => {
      lines.push(line);
      const listening = /^Mosaic listening on (\S+)/.exec(logMessageOf(line));
      if (listening?.[1]) resolve(listening[1]);
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => reject(new Error(`Mosaic exited before it was ready (code ${code}, signal ${signal}):\n${lines.join('\n')}`)));
    setTimeout(() => reject(new Error(`Mosaic was not ready within ${startTimeoutMs} ms:\n${lines.join('\n')}`)), startTimeoutMs).unref();
  });

  const stop = async (): Promise<void> => {
    forget();
    if (gone()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  };
  const kill = async (): Promise<void> => {
    forget();
    if (gone()) return;
    child.kill('SIGKILL');
    await exited;
  };

  try {
    return { url: await ready, child, lines, stop, kill };
  } catch (error) {
    await stop();
    throw error;
  }
}
