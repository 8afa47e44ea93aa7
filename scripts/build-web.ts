// Builds the web app (web/ → web/dist) with Vite, but only when web/dist is missing or older than a
// source file: `npm start` runs it as `prestart`, so a fresh clone needs no manual build command and a
// second start is a fast no-op. Browser tests import ensureWebBuild() for the same guarantee.
//
// Concurrent callers (several test files at once) are serialised with a lock directory, and the new
// build is written beside web/dist and swapped in, so a running server never sees a half-written dist.
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB_DIR = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');

const LOCK_DIR = path.join(WEB_DIR, '.build-lock');
const LOCK_WAIT_MS = 180_000;

/** The files whose change makes a build stale: everything under web/src, index.html and the Vite config. */
export function listWebSources(): string[] {
  const out: string[] = [path.join(WEB_DIR, 'index.html'), path.join(WEB_DIR, 'vite.config.ts')];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(path.join(WEB_DIR, 'src'));
  walk(path.join(WEB_DIR, 'public'));
  return out.filter((f) => fs.existsSync(f));
}

/** True when web/dist/index.html is missing or older than any source file. */
export function isWebBuildStale(distDir: string = WEB_DIST, sources: string[] = listWebSources()): boolean {
  const builtIndex = path.join(distDir, 'index.html');
  if (!fs.existsSync(builtIndex)) return true;
  const builtAt = fs.statSync(builtIndex).mtimeMs;
  return sources.some((file) => fs.statSync(file).mtimeMs > builtAt);
}

export interface EnsureWebBuildOptions {
  /** Build even when web/dist looks fresh. */
  force?: boolean;
  log?: (line: string) => void;
}

/** Makes sure web/dist holds a build of the current sources; returns whether it had to build. */
export async function ensureWebBuild(options: EnsureWebBuildOptions = {}): Promise<{ built: boolean }> {
  const log = options.log ?? (() => {});
  if (!options.force && !isWebBuildStale()) return { built: false };
  const release = await acquireLock();
  try {
    // Another process may have built while we waited for the lock.
    if (!options.force && !isWebBuildStale()) return { built: false };
    log('› building the web app (vite build)…');
    const started = Date.now();
    await buildInto(WEB_DIST);
    log(`› web app built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { built: true };
  } finally {
    release();
  }
}

async function buildInto(distDir: string): Promise<void> {
  const { build } = await import('vite');
  const tmpDir = `${distDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  await build({
    configFile: path.join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: tmpDir, emptyOutDir: true },
  });
  const oldDir = `${distDir}.old-${process.pid}`;
  if (fs.existsSync(distDir)) fs.renameSync(distDir, oldDir);
  fs.renameSync(tmpDir, distDir);
  fs.rmSync(oldDir, { recursive: true, force: true });
}

async function acquireLock(): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockHolderIsGone()) {
      fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for another web build (lock ${LOCK_DIR}).`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A lock left by a process that died mid-build must not block every later build. */
function lockHolderIsGone(): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
  } catch {
    // The holder may be between mkdir and writing its pid: only a lock this old counts as abandoned.
    try {
      return Date.now() - fs.statSync(LOCK_DIR).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// Run as a script (prestart), not when imported by tests. (import.meta.main needs a newer Node than 22.18.)
if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  const force = process.argv.includes('--force');
  try {
    const { built } = await ensureWebBuild({ force, log: (line) => console.log(line) });
    if (!built) console.log('› web app is up to date (web/dist)');
  } catch (error) {
    console.error(`web build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
