// js_on_load of ui/canvas.py's DigitCanvas (`element`, `props`, `watch` come from gr.HTML). Every change of the
// drawing is read in the page at once; the component's value (the 28x28, for the server's views) changes only
// when the drawing settles, and no event sends it anywhere until a view needs it.
const root = element.querySelector('.rbr-pad');
const penState = element.querySelector('.rbr-pen-state');
const pad = R.pen.pad(element.querySelector('canvas'), (items, settled) => {
  root.classList.toggle('rbr-empty', items.length === 0);
  R.reader.drawing(items, settled);
  if (settled) {
    const x = R.reader.state.x;
    props.value = x ? Array.from(x, v => Math.round(v * 1000) / 1000) : null;
  }
}, element.querySelector('.rbr-cursor'), down => {  // the keyboard's pen: said once as it goes down (the answer
  const t = props.texts || {};  // is said when it lifts: on_reading.js)
  penState.textContent = down ? t.pen_down || '' : '';
});
// An example (a 28x28 picture, white ink on black) starts a fresh drawing.
root.addEventListener('rbr-start', e => R.pen.inkOf(e.detail).then(ink => pad.start(ink)));
root.dataset.ready = '';  // the pen draws from now on (tests wait for this)
root.dispatchEvent(new Event('rbr-ready'));  // an example clicked while the page's code loaded starts now

// A shared link's drawing starts the canvas, and its tab shows (its model is the answer's business: on_reading.js).
const link = R.link.open(location.search);
if (link.broken) element.querySelector('.rbr-link-note').hidden = false;
if (link.x) pad.start(link.x);
if (link.x && (props.tabs || []).includes(link.tab)) {
  R.views.whenFound(`#${link.tab}-tab-button`).then(tab => tab.click());  // once Gradio has drawn the tabs
}

element.querySelector('.rbr-undo').addEventListener('click', () => pad.undo());
element.querySelector('.rbr-clear').addEventListener('click', () => pad.clear());

function applyTexts() {
  const t = props.texts || {};
  element.querySelector('canvas').setAttribute('aria-label', t.canvas || '');
  element.querySelector('#rbr-hint').textContent = t.hint || '';
  element.querySelector('.rbr-keys').textContent = t.keys || '';
  element.querySelector('.rbr-undo').textContent = t.undo || '';
  element.querySelector('.rbr-clear').textContent = t.clear || '';
  element.querySelector('.rbr-link-note').textContent = t.bad_link || '';
}
watch('texts', applyTexts);
applyTexts();
