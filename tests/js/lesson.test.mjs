// The lesson's numbers in the page (ui/js/lesson.js) against Python's (ui/lesson.py's truths): every question's
// answer for MNIST test digits and held-out drawn ones, each choice right for enough of them; and a teacher's link
// checked against its whitelist. tests/test_lesson.py writes the vectors (each part skipped without its file).
import test from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import * as cells from '../../ui/js/cells.js';
import * as lesson from '../../ui/js/lesson.js';
import {vectors} from './load.mjs';
const has = name => Boolean(process.env.VECTORS) && existsSync(join(process.env.VECTORS, name));

test('each question\'s answer is the one Python finds, and each choice is right often enough',
     {skip: !has('lesson.json')}, async () => {
  const {specs, questions, choices, sets, floor} = vectors('lesson.json');
  const models = {gated: await cells.load(specs.gated), plain: await cells.load(specs.plain)};
  const counts = Object.fromEntries(Object.keys(choices).map(k => [k, {}]));
  let n = 0;
  for (const {name, xs, truths, settled, undecided, views} of sets) {
    xs.forEach((x, i) => {
      const {chart, probe} = views[i];
      const got = {...lesson.truths(models, Float32Array.from(x), questions),
                   ...lesson.fromViews(models, chart, probe, questions)};
      // a run numbered no higher than the one there when the question was answered answers nothing
      assert.equal(lesson.fromViews(models, chart, probe, questions, probe.run).trained, undefined);
      assert.equal(got.trained.images, questions.trained.images, 'the reading at the question\'s check');
      assert.equal(got.rnn_lean.settled, settled[i], `${name} #${i}: the row the plain RNN holds its answer from`);
      // "no single row decides it" exactly when the view's own numbers say so (and the answer stays)
      assert.equal(got.blank.why === 'none', undecided[i] && got.blank.answer === 'no', `${name} #${i}: blank's why`);
      for (const k of Object.keys(choices)) {
        assert.equal(got[k].answer, truths[i][k], `${name} #${i}, ${k}`);
        counts[k][got[k].answer] = (counts[k][got[k].answer] || 0) + 1;
      }
      n++;
    });
  }
  for (const [k, cs] of Object.entries(choices)) {
    for (const c of cs) assert.ok((counts[k][c] || 0) / n >= floor, `${k}: ${c} right for ${counts[k][c] || 0} of ${n}`);
  }
});

test('a teacher\'s link: the whitelisted fields kept, anything else refused', {skip: !has('link.json')}, () => {
  const {fields, teacher, steps, cases} = vectors('link.json');
  for (const [search, want] of cases) assert.deepEqual(lesson.teacher(search, fields, teacher, steps), want, search);
});
