// js_on_load of ui/live.py's RowPicture: the Draw tab's drawing, row by row, as the chosen model reads it: the
// 28x28 it sees, its hidden state after each row and its belief after each row, then the belief as lines.
// Props: texts. R.panels (ui/live.py's HEAD): visuals.PANELS as the page paints them.
const R = window.RowByRow;
const $ = selector => element.querySelector(selector);

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
applyTexts();
R.reader.on(show, element);
