import { z } from 'zod';

export const createTokenBody = z.strictObject({
  // One line: no CR/LF or other control characters (test/security/attacker-extras.test.ts).
  name: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(100)
    .refine((v) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v), { message: 'must be one line without control characters' }),
  /** Omitted or null: the token does not expire. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
