// The master key file's I/O: read it (warning when others may read it), create it exactly once, and
// prepend a new current key atomically. Every write goes to a temp file (mode 0600) that is then
// linked or renamed into place, so a reader never sees a half-written keyring and a crash never
// leaves one behind.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { VaultError } from './vault-error.ts';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** The prepend lock is held for milliseconds; one older than this was left by a crash. */
const STALE_LOCK_MS = 30_000;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** The file's text, or null when it does not exist. Warns on a loose mode when given a logger. */
export async function readKeyFile(file: string, logger: Logger | null): Promise<string | null> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      throw new VaultError('misconfigured', `The master key path ${file} is not a regular file: restore the key file there.`);
    }
    // Windows has no POSIX modes to check.
    if (logger && process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      logger.warn(
        { path: file, mode: (stat.mode & 0o777).toString(8) },
        `the master key file can be read by other users: run \`chmod 600 ${file}\``,
      );
    }
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof VaultError) throw error;
    const code = errorCode(error);
    if (code === 'ENOENT') return null;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new VaultError(
        'misconfigured',
        `Cannot read the master key file ${file} (permission denied): run Mosaic as the user that owns it, or give that user ownership (chown) and keep mode 0600.`,
      );
    }
    throw new VaultError('misconfigured', `Cannot read the master key file ${file} (${code ?? 'unknown error'}).`);
  }
}

async function writeTemp(file: string, text: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const temp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.chmod(FILE_MODE); // the process umask cannot loosen it, but an odd filesystem might
    await handle.sync();
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
  return temp;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}

/** Creates the file with `text` unless it exists; true when this call created it. */
export async function createKeyFileOnce(file: string, text: string): Promise<boolean> {
  const temp = await writeTemp(file, text);
  try {
    // link() fails with EEXIST instead of overwriting: two instances starting at once end with one key.
    await fs.link(temp, file);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    // A filesystem without hard links: exclusive create is the next best thing.
    try {
      await fs.writeFile(file, text, { flag: 'wx', mode: FILE_MODE });
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncDir(path.dirname(file));
  return true;
}

async function takeLock(lockFile: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await (await fs.open(lockFile, 'wx', FILE_MODE)).close();
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const stat = await fs.stat(lockFile).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs < STALE_LOCK_MS) break;
      await fs.rm(lockFile, { force: true });
    }
  }
  throw new VaultError(
    'misconfigured',
    `Another rotation is changing the master key file right now (lock ${lockFile}). Wait for it to finish; if none is running, delete the lock file.`,
  );
}

/** Adds `keyText` as the first line (the new current key), keeping every other line, atomically. */
export async function prependKeyToFile(file: string, keyText: string): Promise<void> {
  const lockFile = `${file}.lock`;
  await takeLock(lockFile);
  try {
    // Read under the lock: two rotations at once must not each drop the other's new key.
    const existing = await fs.readFile(file, 'utf8');
    const temp = await writeTemp(file, `${keyText}\n${existing.endsWith('\n') || existing === '' ? existing : `${existing}\n`}`);
    await fs.rename(temp, file).catch(async (error: unknown) => {
      await fs.rm(temp, { force: true });
      throw error;
    });
    await syncDir(path.dirname(file));
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}
