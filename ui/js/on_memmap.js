// js_on_load of ui/live.py's MapsView (How it works): the map of each model's memory side by side (each model that
// has one: the shipped ones, one trained here), and the drawing's path across each, from the traces the page already
// computes (no request). Props: texts; a colour per digit in R.manifest.map_colours (memory_map.COLOURS). A model's map comes with
// its spec (ui/live.py's specs, memory_map.py).

function show(state) {
  if (!element.clientWidth) return;  // its tab is hidden: drawn when it shows (onWidth below)
  const keys = Object.keys(state.specs).filter(k => state.specs[k].map);
  const figs = R.memmap.figures(element.querySelector('.rbr-map-list'), keys), sizes = figs.map(R.memmap.sizeOf);
  figs.forEach((fig, i) => {
    const key = fig.dataset.key, spec = state.specs[key], trace = R.reader.trace(key);
    R.memmap.figure(fig, {map: spec.map, name: spec.label ?? props.texts[spec.label_key], h: trace?.h,
                          probs: trace?.probs, words: state.x ? props.texts.loading : props.texts.map_empty,
                          texts: props.texts, colours: R.manifest.map_colours, size: sizes[i]});
  });
}

watch('texts', () => show(R.reader.state));
R.views.onWidth(element, () => show(R.reader.state));  // drawn again when the tab shows, or a phone turns
R.reader.on(show, element);
