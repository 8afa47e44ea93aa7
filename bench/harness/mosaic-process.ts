// Mosaic as a user runs it (`node src/main.ts serve`): its own process, embedded SQLite in a fresh temp
// data dir, the first admin bootstrapped from the environment, the operator's base URLs at the simulator.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChild, type Child } from './child-process.ts';

export const BENCH_ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password-1234' };

export interface MosaicServer {
  url: string;
  child: Child;
  dataDir: string;
  stop(): Promise<void>;
}

export interface MosaicOptions {
  simAnthropicBaseUrl: string;
  /** Start Node with --cpu-prof, writing the profile into this folder on exit. */
  cpuProfDir: string | null;
  /** Extra environment (e.g. MOSAIC_CHEAP_FLOWS=0). */
  env?: Record<string, string>;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export async function startMosaic(options: MosaicOptions): Promise<MosaicServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mosaic-bench-data-'));
  const profArgs = options.cpuProfDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`];
  const { child, value: url } = await startChild(process.execPath, [...profArgs, 'src/main.ts', 'serve'], {
    name: 'Mosaic',
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      MOSAIC_HOST: '127.0.0.1',
      MOSAIC_PORT: '0',
      MOSAIC_DATA_DIR: dataDir,
      MOSAIC_MASTER_KEY: randomBytes(32).toString('base64'),
      MOSAIC_ADMIN_EMAIL: BENCH_ADMIN.email,
      MOSAIC_ADMIN_PASSWORD: BENCH_ADMIN.password,
      MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '1',
      MOSAIC_ANTHROPIC_BASE_URL: options.simAnthropicBaseUrl,
      MOSAIC_LOG_FORMAT: 'json',
      ...options.env,
    },
    ready: (line) => /Mosaic listening on (http:\/\/\S+)/.exec(line)?.[1]?.replace(/["}].*$/, '') ?? null,
  });
  // The listening record comes after bootstrap (the admin exists); /healthz also proves the database answers.
  await waitForHealthy(url);
  return {
    url,
    child,
    dataDir,
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('Mosaic did not become healthy within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
