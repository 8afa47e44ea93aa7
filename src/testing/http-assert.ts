// Assertions on HTTP answers in the contract's error shape, shared by route tests.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

/** The answer has this status and error code, the contract's shape, and no stack trace. */
export function assertError(res: LightMyRequestResponse, status: number, code: string): void {
  assert.equal(res.statusCode, status, `expected ${status} ${code}, got ${res.statusCode}: ${res.body}`);
  const body = res.json() as { error?: { code?: unknown; message?: unknown } };
  assert.equal(body.error?.code, code, res.body);
  assert.equal(typeof body.error?.message, 'string', res.body);
  assert.doesNotMatch(res.body, /\bat .*\.(ts|js):\d+/, 'no stack trace in a response');
}
