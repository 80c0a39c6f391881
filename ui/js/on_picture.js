// js_on_load of ui/live.py's RowPicture: the Draw tab's drawing, row by row, as the chosen model reads it: the
// 28x28 it sees, its hidden state after each row and its belief after each row, then the belief as lines.
// Props: texts. R.panels (ui/live.py's HEAD): visuals.PANELS as the page paints them.
const $ = R.views.finder(element);

function show(state) {
  const choice = state.choice.draw, spec = R.reader.state.specs[choice], trace = R.reader.trace(choice);
  element.querySelector('.rbr-row-picture').hidden = !trace;
  if (!trace) return;
  const P = R.panels;
  const specs = [{key: 'x', cols: 28, square: true, ...P.x},
                 {key: 'h', cols: spec.hidden, ...P.h, title: `h (${spec.hidden})`},
                 {key: 'p', cols: 10, square: true, digits: true, ...P.p}];
  R.painter.draw($('.rbr-panels'), specs, {x: state.x, h: trace.h, p: trace.probs});
  R.painter.belief($('.rbr-belief'), trace.probs, {title: props.texts.belief, x: props.texts.rows_read});
  R.views.numbers($('.rbr-picture-numbers'), props.texts.numbers, [table(state.x, trace.h, trace.probs, spec.hidden)]);
}

// The picture's numbers, a row of the table per row of the digit: its ink, the mean of h, the two digits believed.
function table(x, h, probs, H) {
  const t = props.texts, pct = v => `${Math.round(v * 100)}%`, rows = [];
  for (let r = 0; r < 28; r++) {
    const p = Array.from(probs.subarray(r * 10, r * 10 + 10)), order = p.map((_, k) => k).sort((a, b) => p[b] - p[a]);
    const ink = x.subarray(r * 28, r * 28 + 28).reduce((a, b) => a + b, 0);
    const mean = h.subarray(r * H, r * H + H).reduce((a, b) => a + b, 0) / H;
    rows.push([r + 1, ink.toFixed(1), mean.toFixed(2), order[0], pct(p[order[0]]), `${order[1]} (${pct(p[order[1]])})`]);
  }
  return {caption: t.picture_title, head: [t.col_row, t.col_ink, t.col_h, t.col_top, t.col_p, t.col_second], rows};
}

function applyTexts() {
  $('.rbr-picture-title').textContent = props.texts.picture_title;
  $('.rbr-picture-help').textContent = props.texts.picture_help;
  $('.rbr-belief-title').textContent = props.texts.belief;
  $('.rbr-panels').setAttribute('aria-label', props.texts.reading_alt);
  show(R.reader.state);
}
watch('texts', applyTexts);
R.views.onWidth(element, () => show(R.reader.state));  // drawn again when the tab shows, or a phone turns
R.views.onOpen(element, () => show(R.reader.state));
applyTexts();
R.reader.on(show, element);
