import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillDays, windowDates } from './overview.ts';

describe('overview window', () => {
  it('lists `days` UTC dates ending today, across month and year ends', () => {
    assert.deepEqual(windowDates(new Date('2026-03-02T23:59:59.999Z'), 4), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    assert.deepEqual(windowDates(new Date('2027-01-01T00:00:00.000Z'), 2), ['2026-12-31', '2027-01-01']);
    assert.equal(windowDates(new Date('2026-03-15T12:00:00.000Z'), 365).length, 365);
  });

  it('fills the days without sessions with zeros, in date order', () => {
    assert.deepEqual(fillDays(['2026-03-01', '2026-03-02', '2026-03-03'], new Map([['2026-03-03', 4], ['2026-03-01', 1]])), [
      { date: '2026-03-01', count: 1 }, { date: '2026-03-02', count: 0 }, { date: '2026-03-03', count: 4 },
    ]);
  });
});
