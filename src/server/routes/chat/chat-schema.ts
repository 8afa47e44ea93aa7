import { z } from 'zod';

export const MAX_MESSAGE_CHARS = 32_000;

export const createSessionBody = z.strictObject({
  title: z.string().trim().min(1, { message: 'must not be empty' }).max(200).nullable().optional(),
});

export const postMessageBody = z.strictObject({
  content: z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(MAX_MESSAGE_CHARS, { message: `must be at most ${MAX_MESSAGE_CHARS} characters` })
    .refine((text) => text.trim() !== '', { message: 'must not be blank' }),
});

export const closeSessionBody = z.strictObject({}).optional();
