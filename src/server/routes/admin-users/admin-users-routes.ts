// Tenant admins manage the users of their own tenant: add, list, re-role, disable, reset a password.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { createUser, findUser, listUsers, rolesForRole, updateUser } from '../../../accounts/users.ts';
import { isId } from '../../../ids.ts';
import { authorize } from '../../authorize.ts';
import { notFound } from '../../errors.ts';
import { parseInput } from '../../validate.ts';
import { createUserBody, updateUserBody } from './admin-users-schema.ts';

export async function adminUsersRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/api/admin/users', async (request, reply) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const body = parseInput(createUserBody, request.body);
    const user = await createUser(ctx, {
      tenantId: caller.tenantId,
      email: body.email,
      password: body.password,
      roles: rolesForRole(body.role),
      actor: { id: caller.userId, email: caller.email },
    });
    return reply.status(201).send({ user });
  });

  app.get('/api/admin/users', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    return { users: await listUsers(ctx.db, caller.tenantId) };
  });

  app.patch<{ Params: { id: string } }>('/api/admin/users/:id', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const { id } = request.params;
    if (!isId(id) || !(await findUser(ctx.db, caller.tenantId, id))) throw notFound('user');
    const patch = parseInput(updateUserBody, request.body);
    const user = await updateUser(ctx, {
      tenantId: caller.tenantId,
      userId: id,
      patch,
      actor: { id: caller.userId, email: caller.email },
      keepAuthSessionId: caller.authSessionId,
    });
    if (!user) throw notFound('user');
    return { user };
  });
}
