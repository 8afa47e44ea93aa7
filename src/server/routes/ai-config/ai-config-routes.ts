// Admin → AI Configuration over HTTP (contract.md, "AI Configuration"): tenant admins only. Each handler:
// authorize → find the provider in the caller's tenant (404 otherwise) → parse the body → run the command.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { activateProvider } from '../../../ai-config/activate-provider.ts';
import { addProvider } from '../../../ai-config/add-provider.ts';
import { aiConfigDeps, type AiConfigDeps } from '../../../ai-config/ai-config-deps.ts';
import { deactivateAi } from '../../../ai-config/deactivate-ai.ts';
import { deleteProvider } from '../../../ai-config/delete-provider.ts';
import { inFlightWindow } from '../../../ai-config/in-flight-sessions.ts';
import { listModelsRequest } from '../../../ai-config/list-models.ts';
import { findProvider, listProviders } from '../../../ai-config/provider-connections.ts';
import { rotateKey } from '../../../ai-config/rotate-key.ts';
import { testConnectionRequest } from '../../../ai-config/test-connection-request.ts';
import { updateProvider } from '../../../ai-config/update-provider.ts';
import { isId } from '../../../ids.ts';
import { authorize, type Caller } from '../../authorize.ts';
import { notFound } from '../../errors.ts';
import { parseInput } from '../../validate.ts';
import {
  addProviderSchema,
  deleteProviderQuerySchema,
  modelsDraftSchema,
  modelsSavedSchema,
  namesSavedConnection,
  rotateKeySchema,
  testDraftSchema,
  testSavedSchema,
  updateProviderSchema,
} from './ai-config-schema.ts';

const ADMIN = { role: 'tenant_admin' } as const;

interface IdParams {
  id: string;
}

export async function aiConfigRoutes(app: FastifyInstance, ctx: AppContext, overrides: Partial<Omit<AiConfigDeps, 'ctx'>> = {}): Promise<void> {
  const deps = aiConfigDeps(ctx, overrides);

  /** 404 for a malformed, unknown or foreign provider id: a caller never learns another tenant's ids. */
  async function requireProvider(caller: Caller, id: string): Promise<void> {
    if (!isId(id) || !(await findProvider(ctx.db, caller.tenantId, id))) throw notFound('provider');
  }
  const requireIdInBody = (id: string) => {
    if (!isId(id)) throw notFound('provider');
    return id;
  };

  app.get('/api/admin/ai/providers', async (request) => {
    const caller = authorize(request, ADMIN);
    return listProviders(ctx.db, caller.tenantId, inFlightWindow(ctx));
  });

  app.post('/api/admin/ai/test', async (request) => {
    const caller = authorize(request, ADMIN);
    if (namesSavedConnection(request.body)) {
      const body = parseInput(testSavedSchema, request.body);
      return testConnectionRequest(deps, caller, { providerId: requireIdInBody(body.providerId), model: body.model });
    }
    return testConnectionRequest(deps, caller, parseInput(testDraftSchema, request.body));
  });

  app.post('/api/admin/ai/models', async (request) => {
    const caller = authorize(request, ADMIN);
    if (namesSavedConnection(request.body)) {
      const body = parseInput(modelsSavedSchema, request.body);
      return listModelsRequest(deps, caller, { providerId: requireIdInBody(body.providerId) });
    }
    return listModelsRequest(deps, caller, parseInput(modelsDraftSchema, request.body));
  });

  app.post('/api/admin/ai/providers', async (request, reply) => {
    const caller = authorize(request, ADMIN);
    const body = parseInput(addProviderSchema, request.body);
    const provider = await addProvider(deps, caller, body);
    return reply.status(201).send({ provider });
  });

  app.patch<{ Params: IdParams }>('/api/admin/ai/providers/:id', async (request) => {
    const caller = authorize(request, ADMIN);
    await requireProvider(caller, request.params.id);
    const body = parseInput(updateProviderSchema, request.body);
    return { provider: await updateProvider(deps, caller, request.params.id, body) };
  });

  app.put<{ Params: IdParams }>('/api/admin/ai/providers/:id/key', async (request) => {
    const caller = authorize(request, ADMIN);
    await requireProvider(caller, request.params.id);
    const body = parseInput(rotateKeySchema, request.body);
    return rotateKey(deps, caller, request.params.id, body);
  });

  app.post<{ Params: IdParams }>('/api/admin/ai/providers/:id/activate', async (request) => {
    const caller = authorize(request, ADMIN);
    await requireProvider(caller, request.params.id);
    return { provider: await activateProvider(deps, caller, request.params.id) };
  });

  app.post('/api/admin/ai/deactivate', async (request) => {
    const caller = authorize(request, ADMIN);
    return deactivateAi(deps, caller);
  });

  app.delete<{ Params: IdParams }>('/api/admin/ai/providers/:id', async (request, reply) => {
    const caller = authorize(request, ADMIN);
    await requireProvider(caller, request.params.id);
    const query = parseInput(deleteProviderQuerySchema, request.query);
    await deleteProvider(deps, caller, request.params.id, query);
    return reply.status(204).send();
  });
}
