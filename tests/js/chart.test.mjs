// The page's one line chart (ui/js/chart.js): a line per curve in its own colour, a gap where a value is missing, a
// dot for a curve of one point, and a y axis that reaches every value.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as chart from '../../ui/js/chart.js';

test('a line per curve in its colour; the axis reaches every value; the words escaped', () => {
  const box = {clientWidth: 400, innerHTML: ''}, legend = {innerHTML: ''};
  chart.lines(box, {title: 'Kept <share>', x: 'row', y: 'share', x0: 1, x1: 28, xticks: [1, 14, 28], y0max: 0,
                      y1min: 1}, [{label: 'LSTM h', colour: '#4e79a7', pts: [9, 1, 10, 0.5, 11, NaN, 12, 1.3]},
                                  {label: 'RNN h', colour: '#e15759', pts: [28, 0.4]},
                                  {label: 'GRU h', colour: '#f28e2b', pts: []}]);
  const lines = [...box.innerHTML.matchAll(/<polyline[^>]*stroke="([^"]+)"[^>]*points="([^"]+)"/g)];
  assert.deepEqual(lines.map(m => [m[1], m[2].split(' ').length]), [['#4e79a7', 3]]);  // the NaN left out
  assert.match(box.innerHTML, /<circle r="3" fill="#e15759"/);  // one point: a dot
  const axis = [...box.innerHTML.matchAll(/class="rbr-axis"[^>]*>([^<]+)</g)].map(m => m[1]);
  assert.deepEqual(axis, ['0', '0.5', '1', '1.5', '1', '14', '28', 'row']);  // up to 1.3, on round numbers
  assert.match(box.innerHTML, /aria-label="Kept &#60;share&#62;"/);
  chart.legend(legend, 'state', [{label: 'LSTM h', colour: '#4e79a7'}]);
  assert.match(legend.innerHTML, /state<\/span><span class="rbr-legend-run"><i style="background:#4e79a7"><\/i>LSTM h/);
  chart.legend(legend, 'state', []);
  assert.equal(legend.innerHTML, '');
});
