// Record ids are UUIDv7: 48 bits of Unix milliseconds, then a counter and random bits. They sort in
// creation order, which the lists and timelines use to break ties between records written in the same
// millisecond (ordering by (at, id)), and they keep B-tree inserts local. Within this process they are
// strictly increasing: in the same millisecond the 12-bit counter advances (borrowing the next
// millisecond if it ever runs out). A malformed id in a URL is answered like an unknown one (404), so
// routes check the shape with isId() before touching the database.
import crypto from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bytes drawn from the OS 4 KiB at a time: one randomFillSync per 500 ids instead of one per id
// (it was ~30 µs a call on the chat's hot path, four ids a turn; node's randomUUID pools the same way).
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolAt = POOL_BYTES;

function randomByte(): number {
  if (poolAt === POOL_BYTES) {
    crypto.randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A new UUIDv7, later than every id this process made before. */
export function newId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = ((randomByte() << 8) | randomByte()) & 0x3ff; // start low in the 12-bit space, so a burst has room to count
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  const ms = lastMs;
  // 48 bits of milliseconds: the high 16 and the low 32, as 12 hex digits.
  const high = Math.floor(ms / 0x100000000);
  const low = ms >>> 0;
  const time = high.toString(16).padStart(4, '0') + low.toString(16).padStart(8, '0');
  const version = HEX[0x70 | (counter >> 8)]! + HEX[counter & 0xff]!; // version 7, then the counter
  const variant = HEX[0x80 | (randomByte() & 0x3f)]! + HEX[randomByte()]!; // RFC 9562 variant
  let tail = '';
  for (let i = 0; i < 6; i++) tail += HEX[randomByte()]!;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${version}-${variant}-${tail}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
