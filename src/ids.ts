// Record ids are random UUIDs. A malformed id in a URL is answered like an unknown one (404), so the
// routes check the shape with isId() before touching the database.
import crypto from 'node:crypto';

export const newId = (): string => crypto.randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
