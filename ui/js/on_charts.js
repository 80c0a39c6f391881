// js_on_load of ui/run_view.py's ChartsView (the Train tab): the session's runs on three charts drawn in the page
// (ui/js/chart.js), each run in its own colour on every chart: the training loss, the test accuracy at each check,
// and the error signal reaching each row at the latest check. Props: runs [{label, colour, loss, acc, grad}] (each
// curve float32 x, y pairs in base64), texts.
const {unpack} = R.views;
const CHARTS = [{key: 'loss', title: 'loss_plot', x: 'images_seen', y: 'loss', y0: 0, y1: 2.5},
                {key: 'acc', title: 'acc_plot', x: 'images_seen', y: 'test_accuracy', y0: 0, y1: 1},
                {key: 'grad', title: 'grad_plot', x: 'row', y: 'grad_y', x0: 1, x1min: 28, y0max: -1, y1: 0, mark: 28}];
const {label} = R.chart;
function draw() {
  const runs = props.runs || [];
  element.querySelectorAll('.rbr-chart').forEach((box, i) => {
    const spec = CHARTS[i];
    const t = props.texts, words = {title: t[spec.title], x: t[spec.x], y: t[spec.y]};
    R.chart.lines(box, {...spec, ...words}, runs.map(r => ({label: r.label, colour: r.colour,
                                                                       pts: unpack(r[spec.key])})));
  });
  R.chart.legend(element.querySelector('.rbr-legend'), props.texts.legend_run, runs);
  R.views.numbers(element.querySelector('.rbr-charts-numbers'), props.texts.numbers, tables(runs));
}

// The charts' numbers as tables, from the same curves: each run's latest and lowest loss, its test accuracy at every
// check, and the error signal per row at its latest check.
function tables(runs) {
  const t = props.texts, pairs = s => { const v = unpack(s), out = [];
    for (let i = 0; i < v.length; i += 2) out.push([v[i], v[i + 1]]);
    return out; };
  const curves = runs.map(r => ({label: r.label, loss: pairs(r.loss), acc: pairs(r.acc), grad: pairs(r.grad)}));
  if (!curves.some(c => c.loss.length || c.acc.length)) return [];
  const loss = curves.filter(c => c.loss.length).map(c => [c.label, label(c.loss.at(-1)[0]),
    c.loss.at(-1)[1].toFixed(3), Math.min(...c.loss.map(p => p[1])).toFixed(3)]);
  const acc = curves.flatMap(c => c.acc.map(([x, y]) => [c.label, label(x), `${(y * 100).toFixed(1)}%`]));
  const withGrad = curves.filter(c => c.grad.length);
  const grad = Array.from({length: 28}, (_, r) => [r + 1, ...withGrad.map(c => c.grad[r][1].toFixed(2))]);
  return [{caption: t.loss_plot, head: [t.legend_run, t.images_seen, t.col_loss_last, t.col_loss_low], rows: loss},
          {caption: t.acc_plot, head: [t.legend_run, t.images_seen, t.test_accuracy], rows: acc},
          ...(withGrad.length ? [{caption: t.grad_plot, head: [t.col_row, ...withGrad.map(c => c.label)], rows: grad}]
                              : [])];
}

watch(['runs', 'texts'], draw);
R.views.onOpen(element, draw);
R.views.onWidth(element, draw);
