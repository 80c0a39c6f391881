// The page's one line chart, drawn as SVG (the Train tab's charts, ui/js/on_charts.js; the lesson's, on_line_chart.js):
// every word and number page text at the size it is read, each series in the colour Python gave it.
// The distance between about n round numbers from lo to hi: 1, 2 or 5 times a power of ten.
import {escape as esc} from './texts.js';

function tickStep(lo, hi, n) {
  const raw = (hi - lo) / n, p = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map(m => m * p).find(s => s >= raw) || p;
}

// About n round numbers from lo to hi.
function ticks(lo, hi, n) {
  const step = tickStep(lo, hi, n), out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e6; v += step) out.push(+v.toFixed(10));
  return out;
}

const label = v => Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(+v.toFixed(2));

// The y range: spec.y0 and spec.y1 where fixed, else the data's, reaching at least down to y0max and up to y1min,
// widened to round numbers.
function yRange(spec, ys) {
  const lo = Math.min(spec.y0 ?? spec.y0max ?? Infinity, ...ys);
  const hi = Math.max(spec.y1 ?? spec.y1min ?? -Infinity, ...ys);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [spec.y0 ?? 0, spec.y1 ?? 1];
  const step = tickStep(lo, hi, 5);
  const y0 = spec.y0 ?? Math.floor(lo / step) * step, y1 = spec.y1 ?? Math.ceil(hi / step) * step;
  return y1 > y0 ? [y0, y1] : [y0, y0 + step];
}

// A chart in `box` (a <figure>), as wide as the box: spec {title, x, y (words), x0, x1 or x1min, xticks (else round
// numbers), y0 or y0max, y1 or y1min, mark (an x for a dashed line), height}; curves [{label, colour, pts: x, y pairs, flat}], a point whose y
// is not a finite number left out.
function lines(box, spec, curves) {
  const H = spec.height || 210, L = 46, RIGHT = 14, T = 8, B = 38;  // the plot's height and margins, CSS px
  const W = Math.max(240, box.clientWidth), w = W - L - RIGHT, h = H - T - B;
  const pairs = curves.map(c => {
    const out = [];
    for (let i = 0; i < c.pts.length; i += 2) if (Number.isFinite(c.pts[i + 1])) out.push([c.pts[i], c.pts[i + 1]]);
    return {...c, pairs: out};
  });
  const xs = pairs.flatMap(c => c.pairs.map(p => p[0])), ys = pairs.flatMap(c => c.pairs.map(p => p[1]));
  const x0 = spec.x0 ?? 0, x1 = spec.x1 ?? Math.max(spec.x1min ?? 1, ...xs);  // rows: 28, or more with blank rows
  const [y0, y1] = yRange(spec, ys);
  const px = v => L + (v - x0) / (x1 - x0) * w;
  const py = v => T + (1 - (Math.min(y1, Math.max(y0, v)) - y0) / (y1 - y0)) * h;
  let svg = `<svg width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}">`;
  for (const v of ticks(y0, y1, 5)) {
    svg += `<line class="rbr-grid" x1="${L}" x2="${L + w}" y1="${py(v)}" y2="${py(v)}"/>` +
           `<text class="rbr-axis" x="${L - 6}" y="${py(v) + 4}" text-anchor="end">${label(v)}</text>`;
  }
  for (const v of spec.xticks || ticks(x0, x1, Math.max(2, Math.floor(w / 90)))) {
    svg += `<text class="rbr-axis" x="${px(v)}" y="${T + h + 16}" text-anchor="middle">${label(v)}</text>`;
  }
  svg += `<text class="rbr-axis" x="${L + w / 2}" y="${H - 4}" text-anchor="middle">${esc(spec.x)}</text>`;
  if (spec.mark && x1 > spec.mark) {  // blank rows after the digit: a dashed line where the digit's rows end
    svg += `<line class="rbr-mark-line" x1="${px(spec.mark)}" x2="${px(spec.mark)}" y1="${T}" y2="${T + h}"/>`;
  }
  for (const c of pairs) {
    const at = c.pairs.map(([x, y]) => [px(x).toFixed(1), py(y).toFixed(1)]);
    if (!at.length) continue;
    svg += at.length === 1  // one point (a chart from row 28 on): a dot, which a line of one point would not show
      ? `<circle r="3" fill="${c.colour}" cx="${at[0][0]}" cy="${at[0][1]}"><title>${esc(c.label)}</title></circle>`
      : `<polyline fill="none" stroke="${c.colour}" stroke-width="2" ` +
        `points="${at.map(p => p.join(',')).join(' ')}"><title>${esc(c.label)}</title></polyline>`;
  }
  box.innerHTML = `<figcaption>${esc(spec.title)}</figcaption><div class="rbr-ytitle">${esc(spec.y)}</div>` +
                  `${svg}</svg>`;
}

// The series' names in their colours, after a title; nothing without series.
function legend(box, title, series) {
  box.innerHTML = series.length ? `<span class="rbr-legend-title">${esc(title)}</span>` + series.map(s =>
    `<span class="rbr-legend-run"><i style="background:${s.colour}"></i>${esc(s.label)}</span>`).join('') : '';
}

export {ticks, label, lines, legend};
