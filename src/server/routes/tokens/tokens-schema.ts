import { z } from 'zod';

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
  /** Omitted or null: the token does not expire. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
