// Reading a user's chat content from the admin console: only with an explicit acknowledgement, and every
// read is written to the audit log (who, when, whose session) before the content leaves the server.
import type { AppContext } from '../app-context.ts';
import { writeAudit, type AuditActor } from '../audit/audit-log.ts';
import { listMessages, presentMessage, type PresentedMessage } from '../chat/chat-messages.ts';
import { isoNow } from '../clock.ts';
import { AppError } from '../server/errors.ts';
import type { SessionWithEmail } from './session-view.ts';

export const CONTENT_VIEWED_ACTION = 'ai.session.content_viewed';

/** 403 acknowledgement_required: the admin has not confirmed they mean to read a user's conversation. */
export function acknowledgementRequired(): AppError {
  return new AppError(403, 'acknowledgement_required', "Reading a user's chat content needs acknowledge=true; each read is recorded in the audit log.", {
    hint: 'Repeat the request with ?acknowledge=true once you have a reason to read this conversation.',
  });
}

/** The session's messages in order; the audit event is written before they are returned, so no read goes unrecorded. */
export async function readSessionContent(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { tenantId: string; session: SessionWithEmail; actor: AuditActor },
): Promise<PresentedMessage[]> {
  const rows = await listMessages(deps, input.tenantId, input.session.id);
  // Awaited before answering: if the audit write fails the request fails and nothing is shown.
  await writeAudit(deps.db, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: CONTENT_VIEWED_ACTION,
    target: input.session.id,
    details: { userId: input.session.user_id },
    at: isoNow(deps.clock),
  });
  return rows.map(presentMessage);
}
