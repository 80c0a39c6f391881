// The page's str.format (ui/js/texts.js) against Python's, on the cases Python wrote: every template of texts.py
// with the values its views give it.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as texts from '../../ui/js/texts.js';
import {vectors} from './load.mjs';

for (const {lang, cases} of vectors('texts.json')) {
  test(`${lang}: the page fills in each template as Python does`, () => {
    for (const [template, values, want] of cases) assert.equal(texts.format(template, values), want, template);
  });
}

test('a fall of a probability in points: signed as it shows, never "−0.0"', () => {
  for (const [d, want] of [[0.012, '−1.2'], [-0.02, '+2.0'], [0.0004, '0.0'], [-0.0004, '0.0'], [0, '0.0'],
                           [-0, '0.0'], [0.5, '−50.0']]) assert.equal(texts.fall(d), want, String(d));
});
