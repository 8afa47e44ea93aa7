// Admin → Usage & limits: month-to-date spend by model and by user, and the tenant's budgets.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { getLimits, putLimits } from '../../../usage/limits.ts';
import { getUsageReport } from '../../../usage/usage-report.ts';
import { authorize } from '../../authorize.ts';
import { parseInput } from '../../validate.ts';
import { testAlertWebhook } from '../../../usage/test-alert-webhook.ts';
import { putLimitsBody, webhookTestBody } from './ai-usage-schema.ts';

export async function aiUsageRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/admin/ai/usage', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    return getUsageReport(ctx.db, caller.tenantId, ctx.clock.now());
  });

  app.get('/api/admin/ai/limits', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    return getLimits(ctx.db, caller.tenantId);
  });

  app.put('/api/admin/ai/limits', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const limits = parseInput(putLimitsBody, request.body);
    return putLimits(ctx, { tenantId: caller.tenantId, actor: { id: caller.userId, email: caller.email }, limits });
  });

  app.post('/api/admin/ai/limits/webhook-test', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const body = parseInput(webhookTestBody, request.body);
    return testAlertWebhook(ctx, { tenantId: caller.tenantId, url: body.alertWebhookUrl });
  });
}
