import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ProviderError } from '../providers/provider-error.ts';
import { AppError } from '../server/errors.ts';
import { fromProviderFailure } from './chat-errors.ts';

it("keeps the provider's code, with a status a client can act on", () => {
  const limited = fromProviderFailure(new ProviderError({ code: 'rate_limited', message: 'slow down', retryAfterMs: 2500 }));
  assert.deepEqual([limited.status, limited.code, limited.headers['retry-after']], [429, 'rate_limited', '3']);
  assert.equal(fromProviderFailure(new ProviderError({ code: 'provider_overloaded', message: 'x' })).status, 503);
  assert.equal(fromProviderFailure(new ProviderError({ code: 'quota_exceeded', message: 'x' })).status, 502);
});

it('passes our own errors through and hides unexpected ones behind internal_error', () => {
  const own = new AppError(402, 'budget_exhausted', 'no');
  assert.equal(fromProviderFailure(own), own);
  const hidden = fromProviderFailure(new Error('db exploded at /secret/path.ts:12'));
  assert.equal(hidden.code, 'internal_error');
  assert.doesNotMatch(hidden.message, /secret/);
});
