// Credentials we hand out (session cookies, personal access tokens, setup tokens) are random values
// stored only as their SHA-256: a copy of the database does not let anyone sign in.
import crypto from 'node:crypto';

/** A fresh random credential: 32 bytes, base64url. */
export function randomCredential(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The form stored in the database: SHA-256, hex. */
export function hashCredential(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}
