// The audit log: every change by an admin writes one event in the same transaction as the change.
// Details must never hold a secret: callers pass hints (e.g. "sk-ant-…x7Qa"), never keys; a Secret
// passed by mistake serialises to its redacted form.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';

export interface AuditActor {
  id: string | null;
  email: string | null;
}

export interface AuditEventInput {
  tenantId: string;
  actor: AuditActor;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  at: string;
}

export async function writeAudit(db: Kysely<Database> | Transaction<Database>, event: AuditEventInput): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId(),
      tenant_id: event.tenantId,
      at: event.at,
      actor_id: event.actor.id,
      actor_email: event.actor.email,
      action: event.action,
      target: event.target ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
