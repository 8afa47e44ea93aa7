// Personal access tokens: create (shown once), list (never the token), revoke. Each user sees and
// revokes only their own; another user's token id is "not found".
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { createApiToken, findApiToken, listApiTokens, revokeApiToken } from '../../../accounts/api-tokens.ts';
import { isId } from '../../../ids.ts';
import { authorize } from '../../authorize.ts';
import { notFound } from '../../errors.ts';
import { parseInput } from '../../validate.ts';
import { createTokenBody } from './tokens-schema.ts';

export async function tokensRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/api/tokens', async (request, reply) => {
    const caller = authorize(request);
    const body = parseInput(createTokenBody, request.body);
    const created = await createApiToken(ctx, caller, { name: body.name, expiresInDays: body.expiresInDays ?? null });
    return reply.status(201).send(created);
  });

  app.get('/api/tokens', async (request) => {
    const caller = authorize(request);
    return { tokens: await listApiTokens(ctx.db, caller.tenantId, caller.userId) };
  });

  app.delete<{ Params: { id: string } }>('/api/tokens/:id', async (request, reply) => {
    const caller = authorize(request);
    const { id } = request.params;
    if (!isId(id) || !(await findApiToken(ctx.db, caller.tenantId, caller.userId, id))) throw notFound('token');
    if (!(await revokeApiToken(ctx, caller, id))) throw notFound('token');
    return reply.status(204).send();
  });
}
