// `npm test`: the type check, then every *.test.ts under src/, sim/, bench/ and test/ with Node's test
// runner. Exits non-zero on any failure. PostgreSQL suites run when MOSAIC_TEST_DATABASE_URL is set
// (.ci/run sets it); without it this says loudly that they were skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const skipTypecheck = args.includes('--no-typecheck');
const only = args.filter((a) => !a.startsWith('--'));

function run(cmd: string, cmdArgs: string[]): number {
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

if (!skipTypecheck) {
  console.log('› tsc --noEmit');
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  if (run(tsc, ['--noEmit', '-p', 'tsconfig.json']) !== 0) {
    console.error('Type check failed.');
    process.exit(1);
  }
}

function findTests(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const files = only.length > 0 ? only : ['src', 'sim', 'bench', 'test'].flatMap((d) => findTests(path.join(root, d))).sort();
if (!process.env.MOSAIC_TEST_DATABASE_URL) {
  console.warn('\n!!! MOSAIC_TEST_DATABASE_URL is not set: the PostgreSQL storage tests are SKIPPED (SQLite only).\n');
} else {
  console.log(`› PostgreSQL tests on (${process.env.MOSAIC_TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')})`);
}
console.log(`› node --test (${files.length} files)`);
const concurrency = process.env.MOSAIC_TEST_CONCURRENCY ?? '3';
const code = run(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...files]);
process.exit(code);
