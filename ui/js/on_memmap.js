// js_on_load of ui/live.py's MapsView (How it works): the map of each shipped model's memory side by side, and the
// drawing's path across each, from the traces the page already computes (no request). Props: texts, colours (a
// colour per digit, memory_map.COLOURS). A model's map comes with its spec (ui/live.py's specs, memory_map.py).
const R = window.RowByRow;
const $ = selector => element.querySelector(selector);
const f = (key, values) => R.texts.format(props.texts[key], values);

function figures(keys) {  // a figure per model that has a map, built once per set of models
  const list = $('.rbr-map-list');
  if (list.dataset.keys === keys.join()) return list.querySelectorAll('.rbr-map');
  list.dataset.keys = keys.join();
  list.innerHTML = keys.map(k => `<figure class="rbr-map" data-key="${k}"><figcaption></figcaption>` +
    `<svg role="img" xmlns="http://www.w3.org/2000/svg"></svg><p class="rbr-map-words" aria-live="polite"></p></figure>`).join('');
  return list.querySelectorAll('.rbr-map');
}

function show(state) {
  if (!element.clientWidth) return;  // its tab is hidden: drawn when it shows (onWidth below)
  const keys = Object.keys(state.specs).filter(k => state.specs[k].map);
  $('.rbr-maps').hidden = !keys.length;
  for (const fig of figures(keys)) {
    const spec = state.specs[fig.dataset.key], map = spec.map, svg = fig.querySelector('svg');
    fig.querySelector('figcaption').innerHTML = R.texts.html(f('map_panel', {cell: spec.name,
      method: map.method.toUpperCase(), acc: map.accuracy[map.method]}));
    const size = Math.min(380, fig.clientWidth), trace = R.reader.trace(fig.dataset.key);
    if (!trace) {
      R.memmap.path(svg, map, new Float64Array(0), 0, size, props.colours);
      const words = state.x ? props.texts.loading : props.texts.map_empty;
      fig.querySelector('.rbr-map-words').innerHTML = R.texts.html(words);
      svg.setAttribute('aria-label', f('map_alt', {cell: spec.name}) + ' ' + words);
      continue;
    }
    const points = R.memmap.project(map, trace.h), said = R.memmap.journey(map, points, trace.probs);
    R.memmap.path(svg, map, points, said.values.row, size, props.colours);
    const words = f(said.key, said.values) + '\n\n' + f('map_settled', said.values);
    fig.querySelector('.rbr-map-words').innerHTML = R.texts.html(words);
    svg.setAttribute('aria-label', [f('map_alt', {cell: spec.name}), ...words.replaceAll('**', '').split('\n\n')].join(' '));
  }
}

watch('texts', () => show(R.reader.state));
R.views.onWidth(element, () => show(R.reader.state));  // drawn again when the tab shows, or a phone turns
R.reader.on(show, element);
