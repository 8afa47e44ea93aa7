// The operator's endpoints (global_admin): creating tenants.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { createTenantWithAdmin } from '../../../accounts/tenants.ts';
import { authorize } from '../../authorize.ts';
import { parseInput } from '../../validate.ts';
import { createTenantBody } from './operator-schema.ts';

export async function operatorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/api/operator/tenants', async (request, reply) => {
    const caller = authorize(request, { role: 'global_admin' });
    const body = parseInput(createTenantBody, request.body);
    const created = await createTenantWithAdmin(ctx, {
      name: body.name,
      admin: body.admin,
      actor: { id: caller.userId, email: caller.email },
      actorTenantId: caller.tenantId,
      via: 'operator',
    });
    return reply.status(201).send({ tenant: created.tenant, admin: { id: created.admin.id, email: created.admin.email } });
  });
}
