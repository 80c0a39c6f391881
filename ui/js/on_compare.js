// js_on_load of ui/teach.py's TaughtRows (How it works): the session's taught model against the model it started
// from, on the drawing: the digit each believes most after each row (shaded by how sure), the rows where they
// disagree outlined, and a sentence saying which. Both read in the page (R.reader), as the Draw tab's answer.
const $ = R.views.finder(element);
const f = (key, values) => R.texts.format(props.texts[key], values);
const {argmax} = R.cells;

// Rows (1-based) as ranges: [3, 4, 5, 9] -> "3-5, 9".
function ranges(rows) {
  const out = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[1] === r - 1) last[1] = r;
    else out.push([r, r]);
  }
  return out.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}

// The top digit and its probability after each row: [[digit, p], ...] for 28 rows.
const tops = probs => Array.from({length: probs.length / 10}, (_, t) => {
  const row = probs.subarray(t * 10, t * 10 + 10), k = argmax(row);
  return [k, row[k]];
});

function cell([digit, p], differs) {
  const shade = `background: rgba(37, 99, 235, ${(0.1 + 0.8 * p).toFixed(2)}); color: ${p > 0.55 ? '#fff' : 'inherit'}`;
  return `<span role="cell" class="${differs ? 'rbr-cmp-diff' : ''}" style="${shade}" ` +
    `title="${Math.round(p * 100)}%">${digit}</span>`;
}

function show(state) {
  if (!element.clientWidth) return;  // its tab is hidden: painted when it shows (the ResizeObserver below)
  const taught = state.specs.taught, start = taught && state.specs[taught.base];
  $('.rbr-compare-title').textContent = props.texts.compare_title;
  $('.rbr-compare-help').textContent = props.texts.compare_help;
  const grid = $('.rbr-compare-grid'), words = $('.rbr-compare-caption');
  const a = start && state.x && R.reader.trace(taught.base), b = start && state.x && R.reader.trace('taught');
  grid.hidden = !(a && b);
  $('.rbr-compare-help').hidden = grid.hidden;
  if (!(a && b)) {
    words.innerHTML = R.texts.html(!start ? props.texts.compare_none : !state.x ? props.texts.compare_draw
                                                                              : props.texts.loading);
    grid.innerHTML = '';
    return;
  }
  const was = tops(a.probs), now = tops(b.probs);
  const differ = was.map((w, t) => w[0] !== now[t][0]);
  const name = start.label ?? props.texts[start.label_key];
  const head = `<span class="rbr-cmp-lead"></span>` + was.map((_, t) =>
    `<span role="columnheader" class="rbr-cmp-head">${t % 7 === 0 || t === 27 ? t + 1 : ''}</span>`).join('');
  grid.innerHTML = head +
    `<span role="rowheader" class="rbr-cmp-name">${f('compare_start', {name})}</span>` +
    was.map((w, t) => cell(w, differ[t])).join('') +
    `<span role="rowheader" class="rbr-cmp-name">${props.texts.compare_taught}</span>` +
    now.map((w, t) => cell(w, differ[t])).join('');
  grid.setAttribute('aria-label', props.texts.compare_help);
  const rows = differ.flatMap((d, t) => (d ? [t + 1] : []));
  const [[ka, pa], [kb, pb]] = [was[27], now[27]];
  words.innerHTML = R.texts.html(rows.length ? f('compare_differ', {n: rows.length, rows: ranges(rows), a: ka, pa, b: kb, pb})
                                             : f('compare_same', {a: ka}));
}

watch('texts', () => show(R.reader.state));
R.views.onWidth(element, () => show(R.reader.state));  // drawn again when the tab shows, or a phone turns
R.reader.on(show, element);
