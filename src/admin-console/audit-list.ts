// Admin → Audit log: the tenant's audit events, newest first, a keyset page at a time on (at, id), the
// columns of the audit_events_tenant_at index.
import type { Db } from '../db/database.ts';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../db/schema.ts';
import { toPage, type Cursor } from './cursor.ts';

export interface AuditEventView {
  id: string;
  at: string;
  /** Null id and email for events the system raised itself (budget alerts, bootstrap). */
  actor: { id: string | null; email: string | null };
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEventView[];
  nextCursor: string | null;
}

export function presentAuditEvent(row: Selectable<AuditEventsTable>): AuditEventView {
  return {
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, email: row.actor_email },
    action: row.action,
    target: row.target,
    details: parseDetails(row.details),
  };
}

// Written by writeAudit as a JSON object; an unreadable value is shown empty rather than failing the page.
function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function listAuditEvents(db: Db, tenantId: string, options: { limit: number; cursor?: Cursor | null }): Promise<AuditPage> {
  let query = db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId);
  const cursor = options.cursor;
  if (cursor) query = query.where((eb) => eb(eb.refTuple('at', 'id'), '<', eb.tuple(cursor.key, cursor.id)));
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit + 1).execute();
  const page = toPage(rows, options.limit, (row) => ({ key: row.at, id: row.id }));
  return { events: page.items.map(presentAuditEvent), nextCursor: page.nextCursor };
}
