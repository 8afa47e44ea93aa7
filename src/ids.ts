// Record ids are UUIDv7: 48 bits of Unix milliseconds, then a counter and random bits. They sort in
// creation order, which the lists and timelines use to break ties between records written in the same
// millisecond (ordering by (at, id)), and they keep B-tree inserts local. Within this process they are
// strictly increasing: in the same millisecond the 12-bit counter advances (borrowing the next
// millisecond if it ever runs out). A malformed id in a URL is answered like an unknown one (404), so
// routes check the shape with isId() before touching the database.
import crypto from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** A new UUIDv7, later than every id this process made before. */
export function newId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = crypto.randomInt(0, 0x400); // start low in the 12-bit space, so a burst has room to count
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  const random = crypto.randomBytes(8);
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8); // version 7
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (random[0]! & 0x3f); // RFC 9562 variant
  random.copy(bytes, 9, 1, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
