// The whole HTTP app on a fresh test context, for in-process tests with app.inject().
import type { FastifyInstance } from 'fastify';
import type { DbKind } from '../db/database.ts';
import { buildApp } from '../server/app.ts';
import { createTestContext, type TestContext, type TestContextOptions } from './test-context.ts';

export interface TestApp {
  ctx: TestContext;
  app: FastifyInstance;
  /** Closes the app and the database (drops the PostgreSQL schema). */
  close(): Promise<void>;
}

/** buildApp(ctx) on createTestContext(kind, opts); remember `await t.close()` (e.g. in a finally). */
export async function createTestApp(kind: DbKind = 'sqlite', options: TestContextOptions = {}): Promise<TestApp> {
  const ctx = await createTestContext(kind, options);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    async close() {
      await app.close();
      await ctx.cleanup();
    },
  };
}
