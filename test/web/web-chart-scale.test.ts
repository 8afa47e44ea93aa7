// The Overview's charts label their gridlines with the values they are drawn at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisMax, niceCeiling } from '../../web/src/pages/admin/overview/chart-scale.ts';

test('the top of the axis is the next round value', () => {
  assert.equal(niceCeiling(0.0167), 0.02);
  assert.equal(niceCeiling(0.02), 0.02);
  assert.equal(niceCeiling(0.3), 0.5);
  assert.equal(niceCeiling(0.2), 0.2);
  assert.equal(niceCeiling(2.1), 2.5);
  assert.equal(niceCeiling(7), 10);
  assert.equal(niceCeiling(1234), 2000);
  assert.equal(niceCeiling(0), 1);
  assert.equal(niceCeiling(Number.NaN), 1);
});

test('the half-way line of a count is a whole number, and a reference line fits under the top', () => {
  assert.equal(axisMax([0, 1, 3], { integer: true }), 4);
  assert.equal(axisMax([0], { integer: true }), 2);
  assert.equal(axisMax([0.001, 0.004], { reference: 0.033 }), 0.05);
  assert.equal(axisMax([]), 1);
});
