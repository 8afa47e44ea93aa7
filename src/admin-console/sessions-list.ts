// Admin → AI Sessions: every chat session of the tenant, newest first, filtered by user, start time and
// outcome, a page at a time. Keyset pagination on (created_at, id) walks the chat_sessions_tenant_created
// index (or chat_sessions_user_created when filtered by user) from the cursor, so page 2,000 costs what
// page 1 costs; a row-value comparison keeps the seek a single index range on both databases.
import type { Db } from '../db/database.ts';
import { isId } from '../ids.ts';
import { toPage, type Cursor } from './cursor.ts';
import { presentAdminSession, selectSessionsWithEmail, type AdminSessionView } from './session-view.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface SessionsFilter {
  /** A user id or email of the tenant. */
  user?: string;
  /** Sessions started at or after this ISO time. */
  from?: string;
  /** Sessions started before this ISO time. */
  toExclusive?: string;
  outcome?: 'success' | 'error';
  limit: number;
  cursor?: Cursor | null;
}

export interface SessionsPage {
  sessions: AdminSessionView[];
  nextCursor: string | null;
}

export interface ListDeps {
  db: Db;
  now: Date;
  idleMinutes: number;
}

/** The user id a `user` filter names, or null when it names nobody in the tenant. */
export async function resolveUserFilter(db: Db, tenantId: string, user: string): Promise<string | null> {
  const email = user.trim().toLowerCase();
  if (isId(user)) return user;
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The page query (exported so the scale test can check its plan). `userId` is already resolved. */
export function sessionsPageQuery(db: Db, tenantId: string, filter: Omit<SessionsFilter, 'user'> & { userId?: string }) {
  let query = selectSessionsWithEmail(db, tenantId);
  if (filter.userId !== undefined) query = query.where('chat_sessions.user_id', '=', filter.userId);
  if (filter.from !== undefined) query = query.where('chat_sessions.created_at', '>=', filter.from);
  if (filter.toExclusive !== undefined) query = query.where('chat_sessions.created_at', '<', filter.toExclusive);
  if (filter.outcome === 'error') query = query.where('chat_sessions.error_count', '>', 0);
  if (filter.outcome === 'success') query = query.where('chat_sessions.error_count', '=', 0);
  const cursor = filter.cursor;
  if (cursor) {
    query = query.where((eb) => eb(eb.refTuple('chat_sessions.created_at', 'chat_sessions.id'), '<', eb.tuple(cursor.key, cursor.id)));
  }
  return query.orderBy('chat_sessions.created_at', 'desc').orderBy('chat_sessions.id', 'desc').limit(filter.limit + 1);
}

export async function listSessions(deps: ListDeps, tenantId: string, filter: SessionsFilter): Promise<SessionsPage> {
  let userId: string | undefined;
  if (filter.user !== undefined) {
    const resolved = await resolveUserFilter(deps.db, tenantId, filter.user);
    if (resolved === null) return { sessions: [], nextCursor: null };
    userId = resolved;
  }
  const rows = await sessionsPageQuery(deps.db, tenantId, { ...filter, userId }).execute();
  const page = toPage(rows, filter.limit, (row) => ({ key: row.created_at, id: row.id }));
  return { sessions: page.items.map((row) => presentAdminSession(row, deps.now, deps.idleMinutes)), nextCursor: page.nextCursor };
}
