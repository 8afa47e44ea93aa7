// Who is calling: an onRequest hook sets request.caller from the `mosaic_session` cookie or an
// `Authorization: Bearer <token>` header. A missing, unknown, expired or revoked credential leaves the
// caller null, and authorize() answers 401. An Authorization header, when present, is the credential:
// a bad bearer token is not rescued by a cookie sent alongside it.
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { resolveApiToken } from '../../accounts/api-tokens.ts';
import { resolveAuthSession, SESSION_ABSOLUTE_MS } from '../../accounts/auth-sessions.ts';
import type { Config } from '../../config.ts';

export const SESSION_COOKIE = 'mosaic_session';

export async function registerAuthentication(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(cookie);
  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      request.caller = match?.[1] ? await resolveApiToken(ctx, match[1]) : null;
      return;
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) request.caller = await resolveAuthSession(ctx, session);
  });
}

const cookieOptions = (config: Config) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: config.publicUrl.startsWith('https:'),
});

/** Sets the session cookie (the server still ends the session after 12 idle hours). */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(config), maxAge: SESSION_ABSOLUTE_MS / 1000 });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
}
