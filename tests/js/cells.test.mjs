// The page's network (ui/js/cells.js) against torch: every cell's trace, from the program and weights Python sent.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as cells from '../../ui/js/cells.js';
import {vectors} from './load.mjs';

for (const {name, spec, xs, traces} of vectors('cells.json')) {
  test(`${name}: h, every gate and the belief per row, as RowReader.trace`, async () => {
    const m = await cells.load(spec);
    xs.forEach((x, i) => {
      const got = cells.trace(m, Float32Array.from(x));
      assert.deepEqual(Object.keys(got).sort(), Object.keys(traces[i]).sort());
      for (const [k, want] of Object.entries(traces[i])) {
        const worst = want.reduce((w, v, j) => Math.max(w, Math.abs(v - got[k][j])), 0);
        assert.ok(worst < 1e-4, `${k}: off by ${worst}`);
      }
    });
  });
}

test("the models read last are kept: every shipped one, and a few of the visitor's own", async () => {
  // A visitor's model comes as base64 (b64); a shipped one as a file to fetch (here the same bytes, as a data: URL).
  const specs = vectors('cells.json').map(v => v.spec), kept = cells.KEPT_VISITOR_MODELS;
  assert.ok(specs.length > kept + 1, 'enough distinct models to overflow the cache');
  const shipped = {...specs[0], b64: undefined, url: `data:application/octet-stream;base64,${specs[0].b64}`};
  const first = await cells.load(shipped);
  const mine = [];
  for (const spec of specs.slice(1)) mine.push(await cells.load(spec));  // more visitor models than are kept
  assert.equal(await cells.load(shipped), first, 'a shipped model stays');
  assert.equal(await cells.load(specs.at(-1)), mine.at(-1), 'the last read stays');
  assert.notEqual(await cells.load(specs[1]), mine[0], 'the least recently read was dropped, and is read again');
  const again = await cells.load(specs.at(-kept + 1));  // read again: the most recent now, not the oldest
  for (const spec of specs.slice(2, -kept)) await cells.load(spec);
  assert.equal(await cells.load(specs.at(-kept + 1)), again, 'a model read again is kept longer');
});
