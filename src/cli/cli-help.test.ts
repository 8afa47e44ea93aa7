// `npm run mosaic -- <command> --help` explains and runs nothing (it once rotated the master key), and a
// command that takes no options refuses a stray one instead of running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

function mosaic(args: string[], dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, MOSAIC_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.MOSAIC_MASTER_KEY;
  return spawnSync(process.execPath, ['src/main.ts', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
}

test('<command> --help prints the usage and runs nothing', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-cli-help-'));
  try {
    for (const command of ['rotate-master-key', 'migrate', 'serve', 'create-tenant']) {
      const result = mosaic([command, '--help'], dataDir);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`usage: npm run mosaic -- ${command}`));
    }
    assert.deepEqual(fs.readdirSync(dataDir), [], 'no key file, no database: nothing ran');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a command without options refuses one; --help lists every command', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-cli-help-'));
  try {
    const refused = mosaic(['rotate-master-key', '--force'], dataDir);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /takes no options/);
    assert.deepEqual(fs.readdirSync(dataDir), []);
    const help = mosaic(['--help'], dataDir);
    assert.equal(help.status, 0);
    for (const command of ['serve', 'migrate', 'create-tenant', 'rotate-master-key']) assert.match(help.stdout, new RegExp(command));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
