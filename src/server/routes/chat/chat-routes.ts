// Chat: sessions (create pinned, list own, read own, close) and messages (SSE with
// `Accept: text/event-stream`, else JSON once complete). Any signed-in user of the tenant; another
// user's or tenant's session is 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { toolsForTenant } from '../../../chat/chat-tools.ts';
import { listMessages, presentMessage } from '../../../chat/chat-messages.ts';
import { closeSession, createSession, findOwnSession, listOwnSessions, presentSession } from '../../../chat/chat-sessions.ts';
import { ClientGone } from '../../../chat/chat-errors.ts';
import { runChatTurn, type TurnReporter } from '../../../chat/chat-turn.ts';
import { silentTurnReporter, sseTurnReporter } from '../../../chat/sse-turn-reporter.ts';
import { SseWriter } from '../../../chat/sse-writer.ts';
import type { ChatSessionRow } from '../../../db/schema.ts';
import { isId } from '../../../ids.ts';
import { authorize, type Caller } from '../../authorize.ts';
import { notFound } from '../../errors.ts';
import { parseInput } from '../../validate.ts';
import { closeSessionBody, createSessionBody, postMessageBody } from './chat-schema.ts';

type WithId = { Params: { id: string } };

export async function chatRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const present = (session: ChatSessionRow) => presentSession(session, ctx.clock.now(), ctx.config.sessionIdleMinutes);

  async function ownSession(caller: Caller, id: string): Promise<ChatSessionRow> {
    const session = isId(id) ? await findOwnSession(ctx, caller.tenantId, caller.userId, id) : null;
    if (!session) throw notFound('session');
    return session;
  }

  app.post('/api/chat/sessions', async (request, reply) => {
    const caller = authorize(request);
    const body = parseInput(createSessionBody, request.body);
    const session = await createSession(ctx, { tenantId: caller.tenantId, userId: caller.userId, title: body.title ?? null });
    return reply.status(201).send({ session: present(session) });
  });

  app.get('/api/chat/sessions', async (request) => {
    const caller = authorize(request);
    return { sessions: (await listOwnSessions(ctx, caller.tenantId, caller.userId)).map(present) };
  });

  app.get<WithId>('/api/chat/sessions/:id', async (request) => {
    const caller = authorize(request);
    const session = await ownSession(caller, request.params.id);
    const messages = await listMessages(ctx, caller.tenantId, session.id);
    return { session: present(session), messages: messages.map(presentMessage) };
  });

  app.post<WithId>('/api/chat/sessions/:id/close', async (request) => {
    const caller = authorize(request);
    const session = await ownSession(caller, request.params.id);
    parseInput(closeSessionBody, request.body);
    return { session: present(await closeSession(ctx, session)) };
  });

  app.post<WithId>('/api/chat/sessions/:id/messages', async (request, reply) => {
    const caller = authorize(request);
    const session = await ownSession(caller, request.params.id);
    const body = parseInput(postMessageBody, request.body);
    return wantsStream(request) ? streamTurn(ctx, request, reply, session, body.content) : jsonTurn(ctx, reply, session, body.content);
  });
}

function wantsStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('text/event-stream');
}

/** Aborted with ClientGone when the client leaves before the answer is over. */
function clientSignal(reply: FastifyReply): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  let done = false;
  const onClose = () => {
    if (!done) controller.abort(new ClientGone());
  };
  reply.raw.once('close', onClose);
  return {
    signal: controller.signal,
    done() {
      done = true;
      reply.raw.off('close', onClose);
    },
  };
}

async function streamTurn(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, session: ChatSessionRow, content: string) {
  const client = clientSignal(reply);
  const sse = new SseWriter(reply.raw);
  const events = sseTurnReporter(sse);
  // The stream begins with the first event: until then a failure is still a JSON error with its status.
  const reporter: TurnReporter = {
    ...events,
    start: async (data) => {
      void reply.hijack();
      await events.start(data);
    },
  };
  try {
    const outcome = await runChatTurn(ctx, { session, content, reporter, signal: client.signal, tools: (tenantId) => toolsForTenant(ctx, tenantId) });
    if (!outcome.ok && !outcome.interrupted && !sse.opened) throw outcome.error;
    if (!sse.opened) void reply.hijack(); // the client left before anything was sent
    if (!outcome.ok && !outcome.interrupted) await sse.send({ event: 'error', data: { error: { code: outcome.error.code, message: outcome.error.message } } });
    sse.end();
    return reply;
  } catch (error) {
    if (!sse.opened) throw error;
    // Headers are gone: end the stream; the answer's row already holds what happened.
    request.log.error({ err: error }, 'chat stream failed');
    sse.end();
    return reply;
  } finally {
    client.done();
  }
}

async function jsonTurn(ctx: AppContext, reply: FastifyReply, session: ChatSessionRow, content: string) {
  const client = clientSignal(reply);
  try {
    const outcome = await runChatTurn(ctx, { session, content, reporter: silentTurnReporter, signal: client.signal, tools: (tenantId) => toolsForTenant(ctx, tenantId) });
    if (!outcome.ok) throw outcome.error;
    return reply.status(200).send({
      message: { id: outcome.messageId, role: 'assistant', content: outcome.content, parts: outcome.parts, model: outcome.model, usage: outcome.usage, finishReason: outcome.finishReason },
    });
  } finally {
    client.done();
  }
}
