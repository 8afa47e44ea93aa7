// The peer: Portkey's open-source gateway, installed from the npm registry into a scratch folder (not a
// project dependency) and started in its own process. An install or start failure is a reason string,
// reported in the table, never a crash.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startChild, type Child } from './child-process.ts';

export const PORTKEY_PACKAGE = '@portkey-ai/gateway';
const SCRATCH = path.join(os.tmpdir(), 'mosaic-bench-portkey');

export interface PortkeyServer {
  url: string;
  version: string;
  child: Child;
  stop(): Promise<void>;
}

async function install(): Promise<string> {
  const entry = path.join(SCRATCH, 'node_modules', PORTKEY_PACKAGE, 'build', 'start-server.js');
  if (!existsSync(entry)) {
    mkdirSync(SCRATCH, { recursive: true });
    writeFileSync(path.join(SCRATCH, 'package.json'), '{"private":true}\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await promisify(execFile)(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', PORTKEY_PACKAGE], {
      cwd: SCRATCH,
      timeout: 120_000,
    });
  }
  if (!existsSync(entry)) throw new Error(`${PORTKEY_PACKAGE} installed but ${entry} is missing`);
  return entry;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Installs (once per machine) and starts the gateway; a failure is { error }. */
export async function startPortkey(): Promise<PortkeyServer | { error: string }> {
  try {
    const entry = await install();
    const version = (JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
    const port = await freePort();
    const { child } = await startChild(process.execPath, [entry, `--port=${port}`, '--headless'], {
      name: 'Portkey gateway',
      cwd: SCRATCH,
      env: { ...process.env, NODE_ENV: 'production' },
      ready: (line) => (/Ready for connections|running at/i.test(line) ? true : null),
    });
    return { url: `http://127.0.0.1:${port}`, version, child, stop: () => child.stop() };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] ?? String(error) };
  }
}
