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
