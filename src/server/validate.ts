// Body and query validation with zod, run inside handlers after authorisation and lookups, so that the
// contract's order of checks holds (a bad body of a foreign record is still a 404).
import type { z } from 'zod';
import { invalidRequest } from './errors.ts';
import { MalformedBody } from './plugins/json-body.ts';

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  if (input instanceof MalformedBody) throw invalidRequest(input.message);
  // Only a missing body counts as {}: an explicit JSON `null` is not an object and is a 400 (found by
  // test/security/route-sweep.test.ts: `PUT /api/admin/ai/limits` with body `null` reset every budget).
  const result = schema.safeParse(input === undefined ? {} : input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw invalidRequest(`${where}: ${issue?.message ?? 'invalid value'}`, {
    issues: result.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
