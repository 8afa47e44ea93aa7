// Sign-in, sign-out, who am I, and first-run setup.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { createAuthSession, deleteAuthSession } from '../../../accounts/auth-sessions.ts';
import { completeSetup, setupNeeded } from '../../../accounts/bootstrap.ts';
import { assertLoginAllowed, clearAccountFailures, recordLoginFailure } from '../../../accounts/login-rate-limit.ts';
import { verifyPassword } from '../../../accounts/passwords.ts';
import { findUserByEmail, parseRoles } from '../../../accounts/users.ts';
import { authorize, type Role } from '../../authorize.ts';
import { invalidCredentials } from '../../errors.ts';
import { clearSessionCookie, setSessionCookie } from '../../plugins/authentication.ts';
import { parseInput } from '../../validate.ts';
import { loginBody, setupBody } from './auth-schema.ts';

interface SignedInUser {
  id: string;
  email: string;
  roles: Role[];
  tenantId: string;
}

export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const signIn = async (reply: FastifyReply, user: { id: string; tenant_id: string }) => {
    const session = await createAuthSession(ctx, user);
    setSessionCookie(reply, ctx.config, session.token);
    return session.csrfToken;
  };

  app.post('/api/auth/login', async (request, reply) => {
    const body = parseInput(loginBody, request.body);
    const attempt = { email: body.email, address: request.ip };
    await assertLoginAllowed(ctx, attempt);
    const user = await findUserByEmail(ctx.db, body.email);
    // Always one argon2 verification (a dummy one for unknown emails), so timing reveals nothing.
    const passwordOk = await verifyPassword(user?.password_hash ?? null, body.password);
    if (!user || !passwordOk || user.disabled === 1) {
      await recordLoginFailure(ctx, attempt);
      throw invalidCredentials();
    }
    await clearAccountFailures(ctx, body.email);
    const csrfToken = await signIn(reply, user);
    request.log.info({ userId: user.id, tenantId: user.tenant_id }, 'user signed in');
    const signedIn: SignedInUser = { id: user.id, email: user.email, roles: parseRoles(user.roles), tenantId: user.tenant_id };
    return { user: signedIn, csrfToken };
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const caller = authorize(request);
    if (caller.authSessionId) await deleteAuthSession(ctx.db, caller.authSessionId);
    clearSessionCookie(reply, ctx.config);
    return reply.status(204).send();
  });

  app.get('/api/me', async (request) => {
    const caller = authorize(request);
    const user: SignedInUser = { id: caller.userId, email: caller.email, roles: caller.roles, tenantId: caller.tenantId };
    return { user, csrfToken: caller.csrfToken };
  });

  app.get('/api/setup/status', async () => ({ needed: await setupNeeded(ctx.db) }));

  app.post('/api/setup', async (request, reply) => {
    const body = parseInput(setupBody, request.body);
    const created = await completeSetup(ctx, {
      token: body.token,
      tenantName: body.tenantName ?? ctx.config.tenantName,
      email: body.email,
      password: body.password,
    });
    request.log.info({ tenantId: created.tenant.id, userId: created.admin.id }, 'first-run setup completed');
    const csrfToken = await signIn(reply, { id: created.admin.id, tenant_id: created.tenant.id });
    const user: SignedInUser = { id: created.admin.id, email: created.admin.email, roles: created.admin.roles, tenantId: created.tenant.id };
    return reply.status(201).send({ tenant: created.tenant, user, csrfToken });
  });
}
