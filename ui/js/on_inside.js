// js_on_load of ui/live.py's InsideView (How it works): the drawing read by a model of this view's own choice,
// every internal of its cell row by row, up to a row the visitor picks or ▶ Play walks through, one row at a time.
// Props: texts; Play's pace in its button's data-ms; R.panels as RowPicture's. It starts with the model the Draw
// tab reads with.
const $ = R.views.finder(element);
const f = (key, values) => R.texts.format(props.texts[key], values);
const ROWS = R.manifest.mnist.side;  // a row per time step
let row = ROWS, timer = null;

function choices() {  // the same models as the Draw tab, chosen here on their own
  const group = $('.rbr-choice'), specs = R.reader.state.specs, keys = Object.keys(specs);
  const id = keys.join() + props.texts.reader;
  if (group.dataset.keys !== id) {
    group.dataset.keys = id;
    group.innerHTML = `<legend>${props.texts.reader}</legend>` + keys.map(k =>
      `<label><input type="radio" name="rbr-inside-model" value="${k}"><span></span></label>`).join('');
    group.querySelectorAll('span').forEach((span, i) => {
      span.textContent = specs[keys[i]].label ?? props.texts[specs[keys[i]].label_key];
    });
  }
  const chosen = R.reader.state.choice.inside ?? R.reader.state.choice.draw;
  group.querySelectorAll('input').forEach(input => { input.checked = input.value === chosen; });
}

// The mean of an internal (rows x H) over the units of row t, and the row (1-based) where it is lowest.
const mean = (v, H, t) => v.subarray(t * H, (t + 1) * H).reduce((a, b) => a + b, 0) / H;

function show(state) {
  if (!element.clientWidth) return;  // its tab is hidden: painted when it shows (the ResizeObserver below)
  choices();
  const key = state.choice.inside ?? state.choice.draw, spec = state.specs[key];
  if (!spec) return;
  $('.rbr-inside-title').textContent = f('inside_title', {cell: spec.name});
  $('.rbr-inside-panels').innerHTML = R.texts.html(props.texts[`panels_${spec.cell}`] ?? '');
  $('.rbr-row-value').textContent = row;
  const trace = R.reader.trace(key);
  $('.rbr-inside-picture').hidden = !trace;
  $('.rbr-play').disabled = !trace;
  if (!trace) {
    $('.rbr-inside-bars').innerHTML = '';
    $('.rbr-inside-caption').innerHTML = R.texts.html(state.x ? props.texts.loading : props.texts.empty);
    return;
  }
  const H = spec.hidden, probs = trace.probs.subarray((row - 1) * 10, row * 10);
  R.painter.bars($('.rbr-inside-bars'), probs);
  const top = probs.indexOf(Math.max(...probs));
  const means = Object.fromEntries(spec.gates.map(g => [g, mean(trace[g], H, row - 1)]));
  const lines = [f('inside_caption', {row, cell: spec.name, top, p: probs[top]}), f(`gates_${spec.cell}`, means)];
  if (spec.keeper) {
    const per = Array.from({length: ROWS}, (_, t) => mean(trace[spec.keeper], H, t));
    const low = per.indexOf(Math.min(...per));
    lines.push(f(`low_${spec.cell}`, {row: low + 1, value: per[low]}));
  } else {
    lines.push(props.texts[`low_${spec.cell}`]);
  }
  $('.rbr-inside-caption').innerHTML = R.texts.html(lines.join('\n\n'));
  const P = R.panels;
  const panels = [{key: 'x', cols: 28, square: true, ...P.x}, ...spec.gates.map(g => ({key: g, cols: H, ...P[g]})),
                  {key: 'h', cols: H, ...P.h}, {key: 'p', cols: 10, square: true, digits: true, ...P.p}];
  R.painter.draw($('.rbr-inside-picture'), panels, {x: state.x, p: trace.probs, h: trace.h,
                                                    ...Object.fromEntries(spec.gates.map(g => [g, trace[g]]))},
                 {upto: row, mark: true});
  const t = props.texts, names = [...spec.gates, 'h'];
  const rows = Array.from({length: 28}, (_, r) => {
    const p = Array.from(trace.probs.subarray(r * 10, r * 10 + 10)), best = p.indexOf(Math.max(...p));
    return [r + 1, ...names.map(g => mean(trace[g], H, r).toFixed(2)), best, `${Math.round(p[best] * 100)}%`];
  });
  R.views.numbers($('.rbr-inside-numbers'), t.numbers, [{
    caption: f('inside_title', {cell: spec.name}),
    head: [t.col_row, ...names.map(g => f('col_mean', {name: P[g].title})), t.col_top, t.col_p], rows}]);
}

function setRow(t) {
  row = Math.min(ROWS, Math.max(1, t));
  $('.rbr-row').value = row;
  show(R.reader.state);
}

function stop() {
  clearInterval(timer);
  timer = null;
  $('.rbr-play').textContent = props.texts.play;
}

// Play: every row from 1 to 28 in order, one per play_ms; pressed again, it stops where it is.
$('.rbr-play').addEventListener('click', () => {
  if (timer) return stop();
  $('.rbr-inside-picture').scrollIntoView({behavior: 'smooth', block: 'nearest'});
  setRow(1);
  $('.rbr-play').textContent = props.texts.pause;
  timer = setInterval(() => (row >= ROWS ? stop() : setRow(row + 1)), Number($('.rbr-play').dataset.ms));
});
$('.rbr-row').addEventListener('input', e => { stop(); setRow(Number(e.target.value)); });
$('.rbr-choice').addEventListener('change', e => R.reader.choose('inside', e.target.value));

function applyTexts() {
  $('.rbr-choice').dataset.keys = '';
  $('.rbr-row-label').textContent = props.texts.row_slider;
  $('.rbr-play').textContent = timer ? props.texts.pause : props.texts.play;
  $('.rbr-inside-picture').setAttribute('aria-label', props.texts.inside_alt);
  show(R.reader.state);
}
watch('texts', applyTexts);
R.views.onOpen(element, () => show(R.reader.state));
R.views.onWidth(element, () => show(R.reader.state));  // drawn again when the tab shows, or a phone turns
R.reader.choose('inside', R.reader.state.choice.draw, {unset: true});
applyTexts();
R.reader.on(show, element);
