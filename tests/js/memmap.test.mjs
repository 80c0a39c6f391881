// The map of the memory's rules (ui/js/memmap.js) and the settling row (ui/js/cells.js) against memory_map.py and
// ui.tables.settle_row, on drawn digits' hidden states and beliefs Python wrote.
import test from 'node:test';
import assert from 'node:assert/strict';
import {library, vectors} from './load.mjs';

const R = library('cells.js', 'memmap.js');

for (const {name, map, cases} of vectors('maps.json')) {
  test(`${name}: each path projected, placed and told as memory_map.py does`, () => {
    for (const {h, probs, points, settled, journey} of cases) {
      const got = R.memmap.project(map, Float64Array.from(h));
      got.forEach((v, i) => assert.ok(Math.abs(v - points[i]) < 1e-6, `point ${i}: ${v} vs ${points[i]}`));
      assert.equal(R.cells.settleRow(Float32Array.from(probs)), settled);
      assert.deepEqual(R.memmap.journey(map, got, Float32Array.from(probs)), journey);
    }
  });
}
