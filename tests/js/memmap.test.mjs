// The map of the memory's rules (ui/js/memmap.js) and the settling row (ui/js/cells.js) against memory_map.py and
// evaluate.settle_row, on drawn digits' hidden states and beliefs Python wrote.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as cells from '../../ui/js/cells.js';
import * as memmap from '../../ui/js/memmap.js';
import {vectors} from './load.mjs';

for (const {name, map, cases} of vectors('maps.json')) {
  test(`${name}: each path projected, placed and told as memory_map.py does`, () => {
    for (const {h, probs, points, settled, journey} of cases) {
      const got = memmap.project(map, Float64Array.from(h));
      got.forEach((v, i) => assert.ok(Math.abs(v - points[i]) < 1e-6, `point ${i}: ${v} vs ${points[i]}`));
      assert.equal(cells.settleRow(Float32Array.from(probs)), settled);
      assert.deepEqual(memmap.journey(map, got, Float32Array.from(probs)), journey);
    }
  });
}
