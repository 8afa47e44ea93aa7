// The Fastify app: body limit, the one error shape, request metrics, health, and the routes.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type RouteOptions } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { AppError, invalidRequest, notFound, payloadTooLarge } from './errors.ts';
import { registerRoutes } from './routes/index.ts';
import { registerAuthentication } from './plugins/authentication.ts';
import { registerJsonBody } from './plugins/json-body.ts';

export const BODY_LIMIT = 1024 * 1024;

export interface BuildAppOptions {
  /** Sees every route as it is registered (the security sweep enumerates the API from the app itself). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: ctx.config.trustProxy,
    // No per-request access lines: they would cost on every streamed turn; metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    // A client mistake never becomes a 500: JSON with a prototype key is a 400, not a crash.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: false,
    // Ids in URLs up to 2 KiB reach the handlers, so a malformed one is judged in the contract's order
    // (401 → 403 → 404). Found by test/security/route-sweep.test.ts: beyond Fastify's default of 100
    // characters the router answered itself, in its own shape ({"error":"Bad Request","code":"FST_…"}).
    routerOptions: { maxParamLength: 2048 },
    // What the router still refuses before any handler (a longer id, bad percent-encoding in an id) is
    // a malformed id: 404 not_found in the one error shape.
    frameworkErrors: (_error, _request, reply) => {
      const err = notFound('record');
      void (reply as FastifyReply).code(err.status).send(err.toBody());
    },
  });
  app.decorateRequest('caller', null);
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const appError = toAppError(error);
    if (appError) {
      for (const [name, value] of Object.entries(appError.headers)) void reply.header(name, value);
      return reply.status(appError.status).send(appError.toBody());
    }
    request.log.error({ err: error, route: request.routeOptions.url }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } });
  });

  app.setNotFoundHandler((request, reply) => {
    const err = notFound('route');
    return reply.status(404).send({ error: { code: err.code, message: `No route ${request.method} ${request.url.split('?')[0]}.` } });
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
    } catch {
      return reply.status(503).send({ error: { code: 'database_unreachable', message: 'The database does not answer.' } });
    }
    return { status: 'ok' };
  });

  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  registerJsonBody(app);
  await registerAuthentication(app, ctx);
  await registerRoutes(app, ctx);
  return app;
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) in the contract's shape. */
function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError>;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return payloadTooLarge();
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return invalidRequest('The JSON body is empty.');
    if (e.statusCode === 400) return invalidRequest(e.message ? `Malformed request: ${e.message}` : 'Malformed request.');
    return new AppError(e.statusCode, 'invalid_request', e.message ?? 'Bad request.');
  }
  return null;
}
