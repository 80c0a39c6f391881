// The map of a model's memory (memory_map.py): its hidden state after each row projected to 2-D by the stored
// numbers, each digit's region (a faint cloud of test digits' h_28, labelled at its centre), and a drawing's path
// h_1 ... h_28 across it, with its words. A map: {method, mean (H), axes (2 x H), centres (10 x 2), box, cloud}.
// Points (28 x 2, flat) for hidden states h (28 x H, flat): p = axes · (h - mean), as memory_map.project.
import {argmax, settleRow} from './cells.js';
import {format, html} from './texts.js';

function project(map, h) {
  const H = map.mean.length, T = h.length / H, out = new Float64Array(T * 2);
  for (let t = 0; t < T; t++) {
    for (let a = 0; a < 2; a++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += map.axes[a][j] * (h[t * H + j] - map.mean[j]);
      out[t * 2 + a] = s;
    }
  }
  return out;
}

// The digit whose region each point lies in: its nearest centre.
function nearest(map, points) {
  return Array.from({length: points.length / 2}, (_, t) => {
    let best = 0, least = Infinity;
    map.centres.forEach(([x, y], k) => {
      const d = (points[2 * t] - x) ** 2 + (points[2 * t + 1] - y) ** 2;
      if (d < least) (least = d, best = k);
    });
    return best;
  });
}

// The path in words, as memory_map.journey: a text key and its values.
function journey(map, points, probs) {
  const near = nearest(map, points), rows = probs.length / 10;
  const top = argmax(probs.subarray((rows - 1) * 10)), row = settleRow(probs);
  const runs = [];  // [digit, first row, last row]
  near.forEach((k, t) => (runs.length && runs.at(-1)[0] === k ? runs.at(-1)[2] = t + 1 : runs.push([k, t + 1, t + 1])));
  const [end, turn] = runs.at(-1);
  if (end !== top) return {key: 'map_elsewhere', values: {top, end, row}};
  if (turn === 1) return {key: 'map_stayed', values: {top, row}};
  let past = null;  // the longest earlier stretch near another digit (a tie: the later); the one before the turn is one
  for (const r of runs.slice(0, -1)) if (r[0] !== top && (!past || r[2] - r[1] >= past[2] - past[1])) past = r;
  return {key: 'map_path', values: {top, past: past[0], until: past[2], turn, row}};
}

const NS = 'http://www.w3.org/2000/svg';
const LABELS = [1, 7, 14, 21, 28];  // the rows numbered on the path

// The map's frame in `svg`, `size` CSS px square: the regions drawn once (a cloud per digit, its digit at its
// centre); returns where a point goes. Kept on the svg until its map or size changes.
function frame(svg, map, size, colours) {
  const id = `${size}:${map.mean[0]}:${map.axes[0][0]}`;
  if (svg._rbr?.id === id) return svg._rbr;
  const [x0, y0, x1, y1] = map.box, pad = 14;
  const scale = Math.min((size - 2 * pad) / (x1 - x0), (size - 2 * pad) / (y1 - y0));  // one scale: honest distances
  const ox = (size - scale * (x1 - x0)) / 2, oy = (size - scale * (y1 - y0)) / 2;
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const at = (x, y) => [ox + scale * (clamp(x, x0, x1) - x0), size - oy - scale * (clamp(y, y0, y1) - y0)];
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  const dots = map.cloud.xy.map(([x, y], i) => {
    const [u, v] = at(x, y);
    return `<circle cx="${u.toFixed(1)}" cy="${v.toFixed(1)}" r="2.4" fill="${colours[map.cloud.digit[i]]}"/>`;
  }).join('');
  const labels = map.centres.map(([x, y], k) => {
    const [u, v] = at(x, y);
    return `<circle cx="${u.toFixed(1)}" cy="${v.toFixed(1)}" r="10" fill="#fff" stroke="${colours[k]}" ` +
           `stroke-width="3"/><text x="${u.toFixed(1)}" y="${(v + 4.5).toFixed(1)}">${k}</text>`;
  }).join('');
  svg.innerHTML = `<rect class="rbr-map-bg" width="${size}" height="${size}" rx="6"/>` +
                  `<g class="rbr-map-cloud">${dots}</g><g class="rbr-map-regions">${labels}</g>` +
                  '<g class="rbr-map-path"></g>';
  const centres = map.centres.map(([x, y]) => at(x, y));  // where the digits' labels are (for the rows' numbers)
  return (svg._rbr = {id, at, centres, path: svg.querySelector('.rbr-map-path')});
}

// The drawing's path on the map: a line through rows 1 to 28, a dot per row, rows 1, 7, 14, 21 and 28 numbered,
// the last row's dot filled and the settling row ringed. Its elements are made once and moved at each reading.
function path(svg, map, points, row, size, colours) {
  const {at, centres, path: g} = frame(svg, map, size, colours);
  g.style.display = points.length ? '' : 'none';  // nothing drawn: the regions alone
  if (!points.length) return;
  if (!g.firstChild) {
    g.innerHTML = '<polyline class="rbr-map-line"/>' + '<circle class="rbr-map-row" r="2.2"/>'.repeat(28) +
      '<circle class="rbr-map-settle" r="8"/><circle class="rbr-map-end" r="4.5"/>' +
      LABELS.map(t => `<text class="rbr-map-num">${t}</text>`).join('');
  }
  const xy = Array.from({length: points.length / 2}, (_, t) => at(points[2 * t], points[2 * t + 1]).map(v => v.toFixed(1)));
  const [line, ...dots] = g.children, texts = dots.splice(30);
  line.setAttribute('points', xy.map(p => p.join(',')).join(' '));
  [...xy, xy[row - 1], xy.at(-1)].forEach(([u, v], i) => (dots[i].setAttribute('cx', u), dots[i].setAttribute('cy', v)));
  // Each row's number beside its dot, on the first side where it touches no digit's label (a "7" beside an "8"
  // read as "78"): up right, up left, down right, down left; up right if none is clear.
  const clear = ([u, v]) => centres.every(([cu, cv]) => Math.hypot(u + 6 - cu, v - 4 - cv) > 18);
  LABELS.forEach((t, i) => {
    const [u, v] = xy[t - 1].map(Number);
    const [x, y] = [[6, -6], [-18, -6], [6, 16], [-18, 16]].map(([du, dv]) => [u + du, v + dv]).find(clear) ??
      [u + 6, v - 6];
    texts[i].setAttribute('x', x.toFixed(1));
    texts[i].setAttribute('y', y.toFixed(1));
  });
}

// An element's HTML, written only when it changes (the words stay the same for most pen moves).
function put(el, html) {
  if (el._html !== html) el.innerHTML = el._html = html;
}

// The size of a figure's map (CSS px), read before any figure is written: a read after a write lays out the page.
const sizeOf = fig => Math.min(380, fig.clientWidth || 300);

// Figures in `list`, one per id (each a title, the map and its words), built once per set of ids.
function figures(list, ids) {
  if (list.dataset.ids !== ids.join()) {
    list.dataset.ids = ids.join();
    list.innerHTML = ids.map(id => `<figure class="rbr-map" data-key="${id}"><figcaption></figcaption>` +
      '<svg role="img" xmlns="http://www.w3.org/2000/svg"></svg><div class="rbr-map-words"></div></figure>').join('');
  }
  return Array.from(list.querySelectorAll('.rbr-map'));
}

// One figure: `name`'s map, with the path of h (28 x H) and its beliefs probs (28 x 10), or `words` instead while
// there is none. `texts`: the view's templates (map_panel, map_alt, the journey's and map_settled).
function figure(fig, {map, name, h, probs, words, texts, colours, size}) {
  const f = (key, values) => format(texts[key], values), svg = fig.querySelector('svg');
  put(fig.querySelector('figcaption'), html(f('map_panel', {cell: name, method: map.method.toUpperCase(),
                                                                    acc: map.accuracy[map.method]})));
  const points = h ? project(map, h) : new Float64Array(0), said = h && journey(map, points, probs);
  path(svg, map, points, said ? said.values.row : 0, size, colours);
  if (said) words = f(said.key, said.values) + '\n\n' + f('map_settled', said.values);
  put(fig.querySelector('.rbr-map-words'), html(words));
  svg.setAttribute('aria-label', [f('map_alt', {cell: name}), ...words.replaceAll('**', '').split('\n\n')].join(' '));
}

export {project, nearest, journey, path, figures, sizeOf, figure};
