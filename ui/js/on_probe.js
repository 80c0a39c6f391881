// js_on_load of ui/run_view.py's ProbeView (the Train tab): the probe digit as the network being trained reads it,
// painted from the numbers the server sends at each check (props.numbers: hidden, and x, h, p packed as float32 in
// base64; rows: 28, or more with blank rows under the digit), as the Draw tab paints a reading; at a run's end
// (numbers.maps), the probe's path on the trained model's own map of its memory and on the shipped LSTM's
// (ui/js/memmap.js). Props: numbers, alt, texts (a colour per digit: R.manifest.map_colours).
const box = element.querySelector('.rbr-probe'), maps = element.querySelector('.rbr-probe-maps');
const name = R.views.idOf(element);
const {unpack} = R.views;

function paint() {
  const n = props.numbers;
  if (name) R.reader.show(name, n);  // the run's readings of the probe, for the lesson to check against
  box.hidden = !n;
  box.setAttribute('aria-label', props.alt);
  maps.hidden = !n?.maps?.length;
  if (!n || !element.clientWidth) return;
  const P = R.panels;
  R.painter.draw(box, [{key: 'x', cols: 28, square: true, ...P.x}, {key: 'h', cols: n.hidden, ...P.h,
                        title: `h (${n.hidden})`}, {key: 'p', cols: 10, square: true, digits: true, ...P.p}],
                 {x: unpack(n.x), h: unpack(n.h), p: unpack(n.p)}, {rows: n.rows || R.manifest.mnist.side});
  if (maps.hidden) return;
  maps.querySelector('.rbr-probe-maps-title').textContent = props.texts.probe_maps_title;
  const figs = R.memmap.figures(maps.querySelector('.rbr-map-list'), n.maps.map(m => m.who));
  const sizes = figs.map(R.memmap.sizeOf);
  n.maps.forEach((m, i) => R.memmap.figure(figs[i], {
    map: m.map, name: R.texts.format(props.texts[m.who], {cell: m.cell}), h: unpack(m.h), probs: unpack(m.p),
    texts: props.texts, colours: R.manifest.map_colours, size: sizes[i]}));
}

watch(['numbers', 'alt', 'texts'], paint);
R.views.onWidth(element, paint);
