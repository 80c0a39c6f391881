// Pictures of what the network does, drawn in the page from the numbers of a trace: row-aligned heatmaps (one
// row of pixels per time step, scaled up without smoothing), the top classes as bars, and the belief after each
// row as lines. Colours come from visuals.py's tables (sent by the server), so the page and the saved PNGs
// agree; every word and number is page text, readable at any size, in the page's language.
import {manifest, luts} from './shared.js';

const HEAD = 30;  // room above a panel for its title and digit labels (.rbr-title, .rbr-digits)

// One panel's pixels: values (rows x cols) through a colour table (256 RGB), as visuals.colour does.
function pixels(canvas, values, rows, cols, spec, upto) {
  if (canvas.width !== cols || canvas.height !== rows) {
    canvas.width = cols;
    canvas.height = rows;
  }
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(cols, rows);
  const scale = 255 / (spec.hi - spec.lo), lut = luts[spec.lut];
  for (let i = 0; i < rows * cols; i++) {
    const k = Math.min(255, Math.max(0, (values[i] - spec.lo) * scale)) | 0;
    const faded = i >= upto * cols;  // rows not read yet fade toward white, as visuals.inside fades them
    for (let c = 0; c < 3; c++) img.data[i * 4 + c] = faded ? (lut[k * 3 + c] >> 2) + 191 : lut[k * 3 + c];
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

const GUTTER = 24, GAP = 8;  // room for the row numbers, and between panels (.rbr-panels in ui/live.py)

// Row height (CSS px, up to 12) and width per column of the wide panels (h, the gates), for `specs` in `width`
// CSS pixels: all on one line if rows can be 10 px tall with wide panels at 2+ px a column, else 8 px tall, else
// at 1 px a column; failing that, the square ones (the digit and the belief) on a line of their own, as tall as
// fits, and the wide ones wrapped below, two to a line.
function layout(width, specs) {
  const square = specs.filter(s => s.square).reduce((a, s) => a + s.cols, 0);
  const wide = specs.filter(s => !s.square).map(s => s.cols), sum = wide.reduce((a, b) => a + b, 0);
  const gaps = GUTTER + GAP * (specs.length - 1);
  for (const [least, pers] of [[10, [8, 6, 4, 3, 2]], [8, [8, 6, 4, 3, 2, 1]]]) {
    for (const per of pers) {
      const row = Math.floor((width - gaps - sum * per) / square);
      if (row >= least) return {row: Math.min(row, 12), per, stacked: false};
    }
  }
  const row = Math.max(5, Math.min(12, Math.floor((width - GUTTER - GAP) / square)));
  const per = Math.max(1, Math.min(8, Math.floor((width - GUTTER - GAP) / (2 * Math.max(...wide, 1)))));
  return {row, per, stacked: true};
}

// A set of row-aligned panels in `el`: specs [{key, title, cols, digits}], built once and kept on `el`.
function panelSet(el, specs) {
  const id = specs.map(s => `${s.key}:${s.cols}:${s.title}`).join('|');
  if (el._rbr?.id === id) return el._rbr;
  el.classList.add('rbr-panels');
  const gutter = document.createElement('div');
  gutter.className = 'rbr-gutter';
  el.innerHTML = '<div class="rbr-break"></div>';  // where the wide panels wrap when stacked
  el.prepend(gutter);
  const panels = specs.map(spec => {
    const box = document.createElement('div');
    box.className = spec.square ? 'rbr-panel' : 'rbr-panel rbr-wide';
    box.innerHTML = `<div class="rbr-title"></div><div class="rbr-digits"></div>` +
                    `<div class="rbr-frame"><canvas></canvas><div class="rbr-mark" hidden></div></div>`;
    box.querySelector('.rbr-title').textContent = spec.title;
    if (spec.digits) {
      box.querySelector('.rbr-digits').innerHTML =
        Array.from({length: spec.cols}, (_, k) => `<span>${k}</span>`).join('');
    }
    el.append(box);
    return {spec, box, canvas: box.querySelector('canvas'), mark: box.querySelector('.rbr-mark')};
  });
  return (el._rbr = {id, gutter, panels, rows: ''});
}

// Draw `data` (key -> values, rows x cols) into the panels; rows after `upto` faded and the last row read marked.
function draw(el, specs, data, {rows = 28, upto = rows, mark = false} = {}) {
  const set = panelSet(el, specs);
  const {row, per, stacked} = layout(el.clientWidth || 800, specs);
  el.classList.toggle('rbr-stacked', stacked);
  if (set.rows !== `${row}x${rows}`) {  // row numbers as page text: every row if there's room, else 1, 3, 5… or 1, 5…
    const every = row >= 12 ? 1 : row >= 7 ? 2 : 4;
    set.gutter.innerHTML = Array.from({length: rows}, (_, t) =>
      `<span style="top:${t * row + HEAD}px;height:${row}px">${t % every ? '' : t + 1}</span>`).join('');
    set.gutter.style.height = `${rows * row + HEAD}px`;
    set.rows = `${row}x${rows}`;
  }
  for (const p of set.panels) {
    const width = p.spec.cols * (p.spec.square ? row : per);
    p.canvas.style.width = `${width}px`;
    p.canvas.style.height = `${rows * row}px`;
    p.box.style.width = `${Math.max(width, 24)}px`;
    pixels(p.canvas, data[p.spec.key], rows, p.spec.cols, p.spec, upto);
    p.mark.hidden = !mark;
    p.mark.style.top = `${upto * row - 1}px`;
  }
}

// The top `n` classes as bars; the first on a line of its own, big, as Gradio's Label shows it.
function bars(el, probs, n = 3) {
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]).slice(0, n);
  const pct = p => `${Math.round(p * 100)}%`;
  el.innerHTML = `<div class="rbr-top" data-testid="label-output-value">${order[0]}</div>` + order.map(d =>
    `<div class="rbr-bar"><span class="rbr-bar-digit">${d}</span><span class="rbr-bar-track">` +
    `<span class="rbr-bar-fill" style="width:${(probs[d] * 100).toFixed(1)}%"></span></span>` +
    `<span class="rbr-bar-value">${pct(probs[d])}</span></div>`).join('');
}

// The belief in each digit after each row, as ten lines (SVG); the answer's line drawn last and thickest.
const PALETTE = manifest.digit_colours;  // ui.tables.DIGIT_COLOURS
function belief(el, probs, labels) {
  // As wide as its box (at most 640 px), at 1:1: its text stays at the page's size on a phone too.
  const W = Math.min(640, el.clientWidth || 560), H = 220, L = 40, B = 34, T = 10, RIGHT = 44;
  const rows = probs.length / 10;
  const x = t => L + (t / (rows - 1)) * (W - L - RIGHT), y = p => T + (1 - p) * (H - T - B);
  const top = Array.from({length: 10}, (_, k) => k).sort((a, b) => probs[(rows - 1) * 10 + a] -
                                                                        probs[(rows - 1) * 10 + b]);
  let svg = `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${labels.title}">`;
  for (const p of [0, 0.5, 1]) {
    svg += `<line class="rbr-grid" x1="${L}" x2="${W - RIGHT}" y1="${y(p)}" y2="${y(p)}"/>` +
           `<text class="rbr-axis" x="${L - 6}" y="${y(p) + 4}" text-anchor="end">${p}</text>`;
  }
  for (const t of [1, 7, 14, 21, 28]) {
    svg += `<text class="rbr-axis" x="${x(t - 1)}" y="${H - B + 16}" text-anchor="middle">${t}</text>`;
  }
  svg += `<text class="rbr-axis" x="${(L + W - RIGHT) / 2}" y="${H - 4}" text-anchor="middle">${labels.x}</text>`;
  for (const k of top) {
    const pts = Array.from({length: rows}, (_, t) => `${x(t).toFixed(1)},${y(probs[t * 10 + k]).toFixed(1)}`);
    const last = probs[(rows - 1) * 10 + k], lead = k === top[9];
    svg += `<polyline fill="none" stroke="${PALETTE[k]}" stroke-width="${lead ? 3 : 1.5}" ` +
           `opacity="${lead || last > 0.05 ? 1 : 0.45}" points="${pts.join(' ')}"><title>${k}</title></polyline>`;
    if (last > 0.05) {  // named at its end: a swatch of its colour, the digit in text colour
      svg += `<line x1="${W - RIGHT + 3}" x2="${W - RIGHT + 13}" y1="${y(last)}" y2="${y(last)}" ` +
             `stroke="${PALETTE[k]}" stroke-width="3"/><text class="rbr-end" x="${W - RIGHT + 16}" ` +
             `y="${y(last) + 4}">${k}</text>`;
    }
  }
  el.innerHTML = svg + '</svg>';
}

export {draw, bars, belief, layout};
