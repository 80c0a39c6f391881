// The lesson's numbers, from the same traces the views draw (cells.js's trace): each question's right choice for the
// drawing and the values its "why" sentence states; and what a teacher's link asks for, checked against a
// whitelist. ui/lesson.py's `truths` is the same in Python (tests compare them).
// Each question's answer for digit x (784 numbers) read by `models` ({gated, plain}: cells.js models, the LSTM and
// the plain RNN), with `q` the numbers each question uses (ui/lesson.py's QUESTIONS): {key: {answer, ...values for
// its sentence}}.
import {argmax, settleRow, trace} from './cells.js';
import {unpack} from './views.js';

function truths(models, x, q) {
  const lstm = trace(models.gated, x), rnn = trace(models.plain, x);
  const width = models.gated.input, rows = x.length / width, K = models.gated.classes;
  const at = (probs, row) => probs.subarray((row - 1) * K, row * K);  // the belief after a row (1-based)
  const top = argmax(at(lstm.probs, rows)), out = {};
  const row = settleRow(lstm.probs);
  out.settle = {answer: row < q.settle.early ? 'early' : row < q.settle.late ? 'middle' : 'late', row, top};
  const lean = argmax(at(lstm.probs, q.lean.row));
  out.lean = {answer: lean === top ? 'yes' : 'no', row: q.lean.row, lean, top};
  // Every row blanked in turn, as "which rows decided it" measures: the row whose loss costs the answer most.
  let worst = 0, drop = -Infinity, after = null;
  for (let r = 0; r < rows; r++) {
    const blank = Float32Array.from(x);
    blank.fill(0, r * width, r * width + width);
    const p = at(trace(models.gated, blank).probs, rows), d = at(lstm.probs, rows)[top] - p[top];
    if (d > drop) [worst, drop, after] = [r + 1, d, argmax(p)];
  }
  // its "why": 'none' when the answer stays and no row lowers it by q.blank.points (how "which rows decided it" says it)
  out.blank = {answer: after !== top ? 'yes' : 'no', row: worst, after, top, points: q.blank.points,
               why: after === top && drop < q.blank.points / 100 ? 'none' : undefined};
  const end = argmax(at(rnn.probs, rows)), early = argmax(at(rnn.probs, q.rnn_lean.row));
  out.rnn_lean = {answer: early === end ? 'yes' : 'no', row: q.rnn_lean.row, lean: early, top: end,
                  settled: settleRow(rnn.probs)};  // from this row on it holds its answer
  const H = models.gated.H, keeper = lstm[models.gated.spec.keeper];  // the LSTM's forget gate
  const mean = r => keeper.subarray(r * H, r * H + H).reduce((a, b) => a + b, 0) / H;
  const means = Array.from({length: rows}, (_, r) => mean(r)), low = argmax(means.map(v => -v)) + 1;
  out.forget = {answer: low <= q.forget.top ? 'top' : 'lower', row: low, value: means[low - 1], top: q.forget.top};
  return out;
}

// The answers the server's views hold, from what they show (reader.js's shown): "error" from How it works' chart of
// the error signal for the drawing (`chart`: {first, lines: {cell name: values}}), its row q.error.row, the plain cell
// (named q.error.plain) against the gated one; "trained" from the Train tab's probe (`probe`: its run, cell, 28x28 and readings
// [images, top, p]) at its first check from q.trained.images on, against what the shipped gated model (`models`)
// reads the probe's digit as; only a run numbered above `after` counts (one pressed after the question). Each left
// out while its view has nothing to show.
function fromViews(models, chart, probe, q, after = 0) {
  const out = {}, at = chart?.lines && (name => chart.lines[name]?.[q.error.row - chart.first]);
  if (at && at(q.error.plain) != null && at(q.error.gated) != null) {
    const plain = at(q.error.plain), gated = at(q.error.gated);  // log10, relative to row 28
    out.error = {...q.error, answer: plain > gated ? 'plain' : 'gated', plain_log: plain, gated_log: gated,
                 plain_share: 10 ** plain, gated_share: 10 ** gated};
  }
  const reading = probe && probe.run > after && (probe.readings || []).find(([images]) => images >= q.trained.images);
  if (reading) {
    const width = models.gated.input, x = unpack(probe.x).subarray(0, width * width);  // the digit, without blank rows
    const K = models.gated.classes, probs = trace(models.gated, x).probs;
    const top = argmax(probs.subarray(probs.length - K));
    out.trained = {answer: reading[1] === top ? 'yes' : 'no', images: reading[0], read: reading[1], top,
                   cell: probe.cell};
  }
  return out;
}

// A teacher's fields in a link's query: {step, lock: [...], hide: [...]}, or {refused: [names]} when a field is
// not one a link may carry (`fields`) or a value is not on its whitelist (`allowed`: field -> values).
function teacher(search, fields, allowed, steps) {
  const params = new URLSearchParams(search), refused = [];
  for (const name of params.keys()) if (!fields.includes(name)) refused.push(name);
  const list = name => (params.get(name) || '').split(',').filter(Boolean);
  for (const name of Object.keys(allowed)) {
    if (list(name).some(v => !allowed[name].includes(v))) refused.push(name);
  }
  const lesson = params.get('lesson');
  if (lesson !== null && !/^[1-9]\d?$/.test(lesson) || +lesson > steps) refused.push('lesson');
  // (named in a note: at most a few, each cut short, whatever a link carries)
  if (refused.length) return {refused: [...new Set(refused)].slice(0, 5).map(n => n.slice(0, 40))};
  return {step: lesson === null ? null : +lesson, lock: list('lock'), hide: list('hide')};
}

export {truths, fromViews, teacher};
