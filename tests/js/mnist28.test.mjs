// The page's 28x28 (ui/js/mnist28.js) against preprocess.strokes_to_mnist: strokes, a dot, pictures and a picture
// with strokes over it, the same numbers. mnist28.js reads MNIST's recipe from the page's manifest (shared.js reads
// it from the page's <head>): here a stand-in <head> holds the manifest Python wrote.
import test from 'node:test';
import assert from 'node:assert/strict';
import {vectors} from './load.mjs';

test('every drawing makes the 28x28 Python makes of it', async () => {
  const {manifest, cases} = vectors('mnist28.json');
  const shared = JSON.stringify({manifest, panels: {panels: {}, luts: []}});
  globalThis.document = {getElementById: id => (id === 'rbr-shared' ? {textContent: shared} : null)};
  const {mnist28, picture} = await import('../../ui/js/mnist28.js');
  assert.ok(cases.length >= 40 && cases.some(c => c.want === null) && cases.some(c => c.items.some(i => i.ink)));
  for (const [n, {items, want}] of cases.entries()) {
    const got = mnist28(items.map(item => (item.ink ? picture(item.ink) : item)));
    if (want === null) {
      assert.equal(got, null, `#${n}: nothing drawn`);
      continue;
    }
    const worst = want.reduce((w, v, i) => Math.max(w, Math.abs(v - got[i])), 0);
    assert.ok(worst < 1e-5, `#${n}: off by ${worst}`);
  }
});
