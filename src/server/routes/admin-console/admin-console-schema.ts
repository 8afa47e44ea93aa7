// Query parameters of the admin console endpoints (contract: Admin console). Query values arrive as
// strings; a repeated parameter arrives as an array and is refused like any other bad value.
import { z } from 'zod';
import { decodeCursor } from '../../../admin-console/cursor.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../admin-console/sessions-list.ts';

const DAY_MS = 86_400_000;

const intParam = (min: number, max: number) =>
  z.string().regex(/^\d{1,6}$/, { message: `expected a whole number from ${min} to ${max}` }).transform(Number).pipe(z.number().int().min(min).max(max));

const limit = intParam(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);

const cursor = z.string().transform((text, ctx) => {
  const decoded = text === '' ? null : decodeCursor(text);
  if (text !== '' && decoded === null) ctx.addIssue({ code: 'custom', message: 'not a cursor from this list; start again without one' });
  return decoded;
});

// A date means the whole UTC day; a date-time is an instant (any offset, normalised to UTC).
const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** `from`: the start of a date, or the instant. */
const fromParam = dateOrTime.transform((v) => (v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString()));

/** `to` is inclusive: a date takes in its whole day, an instant itself (times are stored to the ms). */
const toParam = dateOrTime.transform((v) =>
  v.length === 10 ? new Date(Date.parse(`${v}T00:00:00.000Z`) + DAY_MS).toISOString() : new Date(Date.parse(v) + 1).toISOString(),
);

export const sessionsQuery = z
  .strictObject({
    user: z.string().trim().min(1).max(320).optional(),
    from: fromParam.optional(),
    to: toParam.optional(),
    outcome: z.enum(['success', 'error']).optional(),
    limit,
    cursor: cursor.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must not be after to', path: ['from'] });
export type SessionsQuery = z.infer<typeof sessionsQuery>;

export const overviewQuery = z.strictObject({ days: intParam(1, 365).default(30) });

export const auditQuery = z.strictObject({ limit, cursor: cursor.optional() });

/** Only the literal `true` acknowledges; anything else is a missing acknowledgement, not a bad request. */
export const isAcknowledged = (query: unknown): boolean =>
  typeof query === 'object' && query !== null && (query as Record<string, unknown>).acknowledge === 'true';
