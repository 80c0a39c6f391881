// The page's network (ui/js/cells.js) against torch: every cell's trace, from the program and weights Python sent.
import test from 'node:test';
import assert from 'node:assert/strict';
import {library, vectors} from './load.mjs';

const R = library('cells.js');

for (const {name, spec, xs, traces} of vectors('cells.json')) {
  test(`${name}: h, every gate and the belief per row, as RowReader.trace`, async () => {
    const m = await R.cells.load(spec);
    xs.forEach((x, i) => {
      const got = R.cells.trace(m, Float32Array.from(x));
      assert.deepEqual(Object.keys(got).sort(), Object.keys(traces[i]).sort());
      for (const [k, want] of Object.entries(traces[i])) {
        const worst = want.reduce((w, v, j) => Math.max(w, Math.abs(v - got[k][j])), 0);
        assert.ok(worst < 1e-4, `${k}: off by ${worst}`);
      }
    });
  });
}

test('a step reads as many blocks as its program names', () => {
  assert.equal(R.cells.blocks([['h', ['tanh', ['+', 'x0', 'u0']]]]), 1);
  assert.equal(R.cells.blocks([['a', ['sigmoid', 'x3']], ['h', ['*', 'a', 'u1']]]), 4);
});
