// The zod rules for account fields shared by every endpoint that takes them (login, setup, operator,
// admin users), so an email or a password is judged the same way everywhere.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts';

export const emailField = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'must be an email address' }));

export const newPasswordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

export const tenantNameField = z.string().trim().min(1, { message: 'must not be empty' }).max(100);
