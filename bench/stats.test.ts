import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile, subtractSummaries, summarize } from './stats.ts';

test('nearest-rank percentiles of 1..100 are the values at those ranks', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
  assert.deepEqual(summarize(values), { count: 100, median: 50, p90: 90, p99: 99, max: 100 });
});

test('a single slow request shows in p99 and max of 100 but not in the median', () => {
  const values = [...Array.from({ length: 99 }, () => 1), 250];
  const s = summarize(values);
  assert.equal(s.median, 1);
  assert.equal(s.p90, 1);
  assert.equal(s.p99, 1);
  assert.equal(s.max, 250);
  assert.equal(summarize([...values, 300]).p99, 250);
});

test('small samples round the rank up, and sorting is numeric, not lexicographic', () => {
  assert.deepEqual(summarize([10, 9, 2]), { count: 3, median: 9, p90: 10, p99: 10, max: 10 });
  assert.equal(percentile([1, 2, 3, 4], 50), 2);
  assert.equal(percentile([7], 99), 7);
});

test('an empty sample is NaN, not zero; a percentile outside (0, 100] is refused', () => {
  const s = summarize([]);
  assert.equal(s.count, 0);
  assert.ok(Number.isNaN(s.median) && Number.isNaN(s.max));
  assert.throws(() => percentile([1], 0), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
});

test('subtracting summaries gives the added latency at each percentile', () => {
  const through = summarize([3, 4, 5, 6]);
  const direct = summarize([1, 1, 2, 2]);
  assert.deepEqual(subtractSummaries(through, direct), { median: 3, p90: 4, p99: 4, max: 4 });
});
