// Admin console (tenant admins only): AI Sessions, Session Detail and its export, chat content behind an
// acknowledgement, the Overview and the audit log. Foreign, unknown and malformed session ids are 404.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { listAuditEvents } from '../../../admin-console/audit-list.ts';
import { getOverview } from '../../../admin-console/overview.ts';
import { acknowledgementRequired, readSessionContent } from '../../../admin-console/session-content.ts';
import { buildSessionExport, exportFileName } from '../../../admin-console/session-export.ts';
import { getSessionTimeline } from '../../../admin-console/session-timeline.ts';
import { findAdminSession, presentAdminSession, type SessionWithEmail } from '../../../admin-console/session-view.ts';
import { listSessions } from '../../../admin-console/sessions-list.ts';
import { isId } from '../../../ids.ts';
import { authorize } from '../../authorize.ts';
import { notFound } from '../../errors.ts';
import { parseInput } from '../../validate.ts';
import { auditQuery, isAcknowledged, overviewQuery, sessionsQuery } from './admin-console-schema.ts';

type WithId = { Params: { id: string } };

export async function adminConsoleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const view = () => ({ db: ctx.db, now: ctx.clock.now(), idleMinutes: ctx.config.sessionIdleMinutes });

  async function sessionOf(request: FastifyRequest<WithId>, tenantId: string): Promise<SessionWithEmail> {
    const { id } = request.params;
    const session = isId(id) ? await findAdminSession(ctx.db, tenantId, id) : null;
    if (!session) throw notFound('session');
    return session;
  }

  app.get('/api/admin/ai/sessions', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const { to, ...query } = parseInput(sessionsQuery, request.query);
    return listSessions(view(), caller.tenantId, { ...query, toExclusive: to });
  });

  app.get<WithId>('/api/admin/ai/sessions/:id', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const session = await sessionOf(request, caller.tenantId);
    const v = view();
    return {
      session: presentAdminSession(session, v.now, v.idleMinutes),
      timeline: await getSessionTimeline(ctx.db, caller.tenantId, session.id),
    };
  });

  app.get<WithId>('/api/admin/ai/sessions/:id/content', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const session = await sessionOf(request, caller.tenantId);
    if (!isAcknowledged(request.query)) throw acknowledgementRequired();
    const messages = await readSessionContent(ctx, { tenantId: caller.tenantId, session, actor: { id: caller.userId, email: caller.email } });
    const v = view();
    return { session: presentAdminSession(session, v.now, v.idleMinutes), messages };
  });

  app.get<WithId>('/api/admin/ai/sessions/:id/export', async (request, reply) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const session = await sessionOf(request, caller.tenantId);
    const v = view();
    const timeline = await getSessionTimeline(ctx.db, caller.tenantId, session.id);
    const file = buildSessionExport(presentAdminSession(session, v.now, v.idleMinutes), timeline, v.now);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(session.id)}"`)
      .header('cache-control', 'no-store')
      .send(`${JSON.stringify(file, null, 2)}\n`);
  });

  app.get('/api/admin/ai/overview', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const { days } = parseInput(overviewQuery, request.query);
    return getOverview(view(), caller.tenantId, days);
  });

  app.get('/api/admin/audit', async (request) => {
    const caller = authorize(request, { role: 'tenant_admin' });
    const query = parseInput(auditQuery, request.query);
    return listAuditEvents(ctx.db, caller.tenantId, query);
  });
}
