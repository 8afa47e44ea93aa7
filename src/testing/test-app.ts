// The whole HTTP app on a fresh test context, for in-process tests with app.inject().
import type { FastifyInstance } from 'fastify';
import type { DbKind } from '../db/database.ts';
import { buildApp, type BuildAppOptions } from '../server/app.ts';
import { createTestContext, type TestContext, type TestContextOptions } from './test-context.ts';

export interface TestApp {
  ctx: TestContext;
  app: FastifyInstance;
  /** Closes the app and the database (drops the PostgreSQL schema). */
  close(): Promise<void>;
}

export interface TestAppOptions extends TestContextOptions {
  /** Passed to buildApp: sees every route as it is registered. */
  onRoute?: BuildAppOptions['onRoute'];
}

/** buildApp(ctx) on createTestContext(kind, opts); remember `await t.close()` (e.g. in a finally). */
export async function createTestApp(kind: DbKind = 'sqlite', options: TestAppOptions = {}): Promise<TestApp> {
  const { onRoute, ...contextOptions } = options;
  const ctx = await createTestContext(kind, contextOptions);
  const app = await buildApp(ctx, { onRoute });
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
