// js_on_load of ui/live.py's DecidedView (How it works, "which rows decided it"): the digit, and beside each of its
// rows, for each shipped model, how much blanking that row lowers (red, rightwards) or raises (blue, leftwards)
// the probability of that model's answer. Props: data (from ui/inside.py's decided_view: x, full, models
// [{name, top, drops}]), texts. Every panel has the same scale, at least `full` wide: small changes look small.
const $ = R.views.finder(element);
// Columns of a bar panel: room for rises, then for falls; fewer on a phone, so that the digit and every model's bars
// stay on one line, each bar beside its row (painter.js's layout wraps panels too wide for the screen); their titles
// would not fit then, and a line under them names them instead.
const bars = width => width < 560 ? {LEFT: 4, RIGHT: 16, narrow: true} : {LEFT: 12, RIGHT: 48, narrow: false};

// A bar panel's pixels as a diverging map: +1 (red) for a fall, -1 (blue) for a rise, 0 elsewhere.
function barMap(drops, full, {LEFT, RIGHT}) {
  const COLS = LEFT + RIGHT, out = new Float32Array(28 * COLS);
  drops.forEach((d, t) => {
    const n = Math.round(Math.min(Math.abs(d) / full, 1) * (d > 0 ? RIGHT : LEFT));
    for (let k = 0; k < n; k++) out[t * COLS + (d > 0 ? LEFT + k : LEFT - 1 - k)] = d > 0 ? 1 : -1;
  });
  return out;
}

function show() {
  const data = props.data;
  $('.rbr-decided').hidden = !data;
  if (!data || !element.clientWidth) return;
  const P = R.panels, room = bars(element.clientWidth), map = {title: '', lo: -1, hi: 1, lut: P.h.lut};
  const titles = data.models.map(m => R.texts.format(props.texts.decided_panel, {cell: m.name, top: m.top}));
  const specs = [{key: 'x', cols: 28, square: true, ...P.x, title: 'x'},
                 ...data.models.map((m, i) => ({...map, key: `m${i}`, cols: room.LEFT + room.RIGHT,
                                                title: room.narrow ? '' : titles[i]}))];
  const values = {x: Float32Array.from(data.x)};
  data.models.forEach((m, i) => { values[`m${i}`] = barMap(m.drops, data.full, room); });
  R.painter.draw($('.rbr-decided-panels'), specs, values);
  $('.rbr-decided-scale').textContent = R.texts.format(props.texts.decided_scale, {points: data.full}) +
    (room.narrow ? ' ' + R.texts.format(props.texts.decided_order, {panels: titles.join(', ')}) : '');
  const t = props.texts;
  const rows = Array.from({length: 28}, (_, r) => [r + 1, data.x.slice(r * 28, r * 28 + 28).reduce((a, b) => a + b, 0)
    .toFixed(1), ...data.models.map(m => R.texts.fall(m.drops[r]))]);
  R.views.numbers($('.rbr-decided-numbers'), t.numbers, [{caption: t.decided_alt, rows,
    head: [t.col_row, t.col_ink, ...data.models.map(m => R.texts.format(t.col_drop, {cell: m.name, top: m.top}))]}]);
}

function applyTexts() {
  $('.rbr-decided-panels').setAttribute('aria-label', props.texts.decided_alt);
  show();
}
watch('data', show);
watch('texts', applyTexts);
R.views.onOpen(element, () => show());
R.views.onWidth(element, () => show());  // drawn again when the tab shows, or a phone turns
applyTexts();
