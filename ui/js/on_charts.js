// js_on_load of ui/run_view.py's ChartsView (the Train tab): the session's runs on three charts drawn in the page as
// SVG, each run in its own colour on every chart: the training loss, the test accuracy at each check, and the error
// signal reaching each row at the latest check. Props: runs [{label, colour, loss, acc, grad}] (each curve float32
// x, y pairs in base64), texts. Every word and number is page text, at the size it is read.
const unpack = s => new Float32Array(Uint8Array.from(atob(s || ''), ch => ch.charCodeAt(0)).buffer);
const CHARTS = [{key: 'loss', title: 'loss_plot', x: 'images_seen', y: 'loss', y0: 0, y1: 2.5},
                {key: 'acc', title: 'acc_plot', x: 'images_seen', y: 'test_accuracy', y0: 0, y1: 1},
                {key: 'grad', title: 'grad_plot', x: 'row', y: 'grad_y', x0: 1, x1min: 28, y1: 0, mark: 28}];
const H = 210, L = 46, R = 14, T = 8, B = 38;  // the plot area's height and margins, CSS px

// About n round numbers from lo to hi: 1, 2 or 5 times a power of ten apart.
function ticks(lo, hi, n) {
  const raw = (hi - lo) / n, p = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map(m => m * p).find(s => s >= raw) || p;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e6; v += step) out.push(+v.toFixed(10));
  return out;
}

const label = v => Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(+v.toFixed(2));

function chart(box, spec, curves) {
  const W = Math.max(240, box.clientWidth), w = W - L - R, h = H - T - B;
  const xs = curves.flatMap(c => Array.from(c.pts.filter((_, i) => i % 2 === 0)));
  const ys = curves.flatMap(c => Array.from(c.pts.filter((_, i) => i % 2 === 1))).filter(Number.isFinite);
  const x0 = spec.x0 ?? 0, x1 = spec.x1 ?? Math.max(spec.x1min ?? 1, ...xs);  // rows: 28, or more with blank rows
  const y0 = spec.y0 ?? Math.min(-1, Math.floor(Math.min(...ys))), y1 = spec.y1;
  const px = v => L + (v - x0) / (x1 - x0) * w, py = v => T + (1 - (Math.min(y1, Math.max(y0, v)) - y0) / (y1 - y0)) * h;
  let svg = `<svg width="${W}" height="${H}" role="img" aria-label="${props.texts[spec.title]}">`;
  for (const v of ticks(y0, y1, 5)) {
    svg += `<line class="rbr-grid" x1="${L}" x2="${L + w}" y1="${py(v)}" y2="${py(v)}"/>` +
           `<text class="rbr-axis" x="${L - 6}" y="${py(v) + 4}" text-anchor="end">${label(v)}</text>`;
  }
  for (const v of ticks(x0, x1, Math.max(2, Math.floor(w / 90)))) {
    svg += `<text class="rbr-axis" x="${px(v)}" y="${T + h + 16}" text-anchor="middle">${label(v)}</text>`;
  }
  svg += `<text class="rbr-axis" x="${L + w / 2}" y="${H - 4}" text-anchor="middle">${props.texts[spec.x]}</text>`;
  if (spec.mark && x1 > spec.mark) {  // blank rows after the digit: a dashed line where the digit's rows end
    svg += `<line class="rbr-mark-line" x1="${px(spec.mark)}" x2="${px(spec.mark)}" y1="${T}" y2="${T + h}"/>`;
  }
  for (const c of curves) {
    const pts = [];
    for (let i = 0; i < c.pts.length; i += 2) pts.push(`${px(c.pts[i]).toFixed(1)},${py(c.pts[i + 1]).toFixed(1)}`);
    svg += `<polyline fill="none" stroke="${c.colour}" stroke-width="2" points="${pts.join(' ')}"><title>${c.label}` +
           `</title></polyline>`;
  }
  box.innerHTML = `<figcaption>${props.texts[spec.title]}</figcaption><div class="rbr-ytitle">` +
                  `${props.texts[spec.y]}</div>${svg}</svg>`;
}

function draw() {
  const runs = props.runs || [];
  element.querySelectorAll('.rbr-chart').forEach((box, i) => {
    const spec = CHARTS[i];
    chart(box, spec, runs.map(r => ({label: r.label, colour: r.colour, pts: unpack(r[spec.key])}))
                         .filter(c => c.pts.length));
  });
  element.querySelector('.rbr-legend').innerHTML = runs.length ? `<span class="rbr-legend-title">` +
    `${props.texts.legend_run}</span>` + runs.map(r => `<span class="rbr-legend-run"><i style="background:` +
    `${r.colour}"></i>${r.label}</span>`).join('') : '';
  window.RowByRow.views.numbers(element.querySelector('.rbr-charts-numbers'), props.texts.numbers, tables(runs));
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
window.RowByRow.views.onOpen(element, draw);
window.RowByRow.views.onWidth(element, draw);
