// `npm start` rebuilds the web app only when a source file is newer than the build.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isWebBuildStale } from '../../scripts/build-web.ts';

describe('web build freshness', () => {
  it('is stale without a build, fresh after it, and stale again when a source changes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-build-'));
    try {
      const source = path.join(dir, 'app.tsx');
      const dist = path.join(dir, 'dist');
      fs.writeFileSync(source, 'x');
      fs.utimesSync(source, new Date(1_000_000), new Date(1_000_000));
      assert.equal(isWebBuildStale(dist, [source]), true, 'no build yet');

      fs.mkdirSync(dist);
      fs.writeFileSync(path.join(dist, 'index.html'), '<html>');
      fs.utimesSync(path.join(dist, 'index.html'), new Date(2_000_000), new Date(2_000_000));
      assert.equal(isWebBuildStale(dist, [source]), false, 'build newer than sources');

      fs.utimesSync(source, new Date(3_000_000), new Date(3_000_000));
      assert.equal(isWebBuildStale(dist, [source]), true, 'a source edited after the build');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
