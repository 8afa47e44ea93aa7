// Serves the built web app (web/dist) from the same origin as the API: hashed assets with a long
// cache, index.html never cached, and the SPA fallback — a browser asking for /admin/ai-configuration
// gets index.html and the app's router takes over. Unknown /api/* paths stay JSON 404s. Registered
// last, so every API route wins over the catch-all.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app-context.ts';

export const DEFAULT_WEB_DIST = path.resolve(import.meta.dirname, '../../../../web/dist');

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

// The app has no inline scripts; inline style attributes (progress bars) need 'unsafe-inline' styles.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export async function webRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  await registerWebApp(app, DEFAULT_WEB_DIST);
}

/** Registers the static app for a given dist directory (tests pass their own). */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  // serve:false — we route ourselves (SPA fallback, /api exclusion); the plugin gives us reply.sendFile.
  await app.register(fastifyStatic, { root: distDir, serve: false, suppressWarning: true, dotfiles: 'ignore' });

  app.get('/*', async (request, reply) => {
    const pathname = decodePath(request.url.split('?')[0] ?? '/');
    if (pathname === null) return reply.callNotFound();
    if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();

    const indexFile = path.join(distDir, 'index.html');
    if (!fs.existsSync(indexFile)) return sendNotBuilt(request, reply);

    const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
    if (lastSegment.includes('.') && pathname !== '/index.html') {
      // A file: hashed assets never change, so they are cached for a year; anything else briefly.
      const hashed = pathname.startsWith('/assets/');
      return reply.sendFile(pathname, hashed ? { maxAge: ONE_YEAR_MS, immutable: true } : { maxAge: 3600 * 1000 });
    }
    if (pathname !== '/' && pathname !== '/index.html' && !acceptsHtml(request)) return reply.callNotFound();
    return sendIndex(reply);
  });
}

function sendIndex(reply: FastifyReply): FastifyReply {
  void reply
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');
  return reply.sendFile('index.html', { cacheControl: false });
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

/** The path, percent-decoded; null when it is malformed. */
function decodePath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function sendNotBuilt(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  void reply.status(503).header('cache-control', 'no-store').header('retry-after', '10');
  const message = 'The web app is not built yet: run `node scripts/build-web.ts` (npm start does it for you), then reload.';
  if (acceptsHtml(request)) {
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mosaic — web app not built</title></head>` +
          `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5">` +
          `<h1>The web app is not built yet</h1><p>The Mosaic server is running, but <code>web/dist</code> is missing.</p>` +
          `<p>Run <code>node scripts/build-web.ts</code> in the Mosaic folder (<code>npm start</code> does it for you), then reload this page.</p>` +
          `<p>The API is available under <code>/api</code>.</p></body></html>`,
      );
  }
  return reply.send({ error: { code: 'web_app_not_built', message } });
}
