import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../clock.ts';
import { AppError } from '../server/errors.ts';
import { createTestDb, dialectsUnderTest } from '../testing/test-db.ts';
import { assertLoginAllowed, clearAccountFailures, recordLoginFailure } from './login-rate-limit.ts';

for (const kind of dialectsUnderTest()) {
  test(`${kind}: the failure count is shared by every instance on the same database`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-rl-'));
    const testDb = await createTestDb(kind, { sqlitePath: path.join(dir, 'm.db') });
    const other = testDb.reopen();
    const clock = new ManualClock('2026-03-01T00:00:00.000Z');
    const one = { db: testDb.db, clock };
    const two = { db: other.db, clock };
    try {
      const attempt = { email: 'Ann@Example.test', address: '192.0.2.1' };
      for (let i = 0; i < 10; i++) {
        await assertLoginAllowed(i % 2 ? one : two, attempt);
        await recordLoginFailure(i % 2 ? one : two, { ...attempt, address: `192.0.2.${i}` });
        clock.advance(60_000);
      }
      // 10 failures, the first 10 minutes ago: it leaves the 15-minute window in 5 minutes.
      await assert.rejects(assertLoginAllowed(two, { email: 'ann@example.test', address: '198.51.100.1' }), (e: unknown) =>
        e instanceof AppError && e.status === 429 && e.headers['retry-after'] === String(5 * 60));
      clock.advance(5 * 60_000);
      await assertLoginAllowed(one, attempt);
      await recordLoginFailure(one, attempt);
      await assert.rejects(assertLoginAllowed(two, attempt), AppError, 'the 10th failure in the window limits again');
      await clearAccountFailures(two, attempt.email);
      await assertLoginAllowed(one, attempt);
    } finally {
      await other.db.destroy();
      await testDb.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
