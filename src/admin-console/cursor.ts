// Opaque keyset cursors for the admin lists: the sort key and id of the last row of a page, as
// base64url JSON. The next page starts strictly after that (key, id) pair, so a row inserted or deleted
// meanwhile never shifts the pages (no duplicates, no gaps), and no query needs OFFSET.
import { isId } from '../ids.ts';

export interface Cursor {
  /** The sort key of the last row served (an ISO time: created_at or at). */
  key: string;
  id: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor a client sent back; null when it is not one of ours (tampered, truncated, foreign). */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [key, id] = value as unknown[];
  if (typeof key !== 'string' || !ISO_TIME.test(key) || !isId(id)) return null;
  return { key, id };
}

/** The page and the next cursor, from a query that fetched `limit + 1` rows. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
