// Password hashing: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). Verifying a
// sign-in for an email that has no account still runs one full verification against a dummy hash, so
// the response time does not tell an attacker which emails exist.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// The library's default algorithm is argon2id; its Algorithm enum is a `const enum` that type
// stripping cannot inline, so we rely on (and test) the default rather than naming it.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | null = null;

/** Verifies a password; with `storedHash` null it burns the same time and answers false. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword(crypto.randomBytes(24).toString('base64url'));
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    // A corrupt stored hash is a refused sign-in, not a 500.
    return false;
  }
}

/** A random password for the CLI and test factories: 24 URL-safe characters (144 bits). */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}
