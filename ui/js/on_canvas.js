// js_on_load of ui/canvas.py's DigitCanvas (`element`, `props`, `watch` come from gr.HTML). Every change of the
// drawing is read in the page at once; the component's value (the 28x28, for the server's views) changes only
// when the drawing settles, and no event sends it anywhere until a view needs it.
const R = window.RowByRow;
const root = element.querySelector('.rbr-pad');
const pad = R.pen.pad(element.querySelector('canvas'), (items, settled) => {
  root.classList.toggle('rbr-empty', items.length === 0);
  R.reader.drawing(items, settled);
  if (settled) {
    const x = R.reader.state.x;
    props.value = x ? Array.from(x, v => Math.round(v * 1000) / 1000) : null;
  }
});
R.canvas = pad;
root.dataset.ready = '';  // the pen draws from now on (tests wait for this)

// An example (a 28x28 picture, white ink on black) starts a fresh drawing; so does a shared link's digit.
root.addEventListener('rbr-start', e => R.pen.inkOf(e.detail).then(ink => pad.start(ink)));
watch('start', () => {
  if (Array.isArray(props.start) && props.start.length === 784) pad.start(Float32Array.from(props.start));
});

element.querySelector('.rbr-undo').addEventListener('click', () => pad.undo());
element.querySelector('.rbr-clear').addEventListener('click', () => pad.clear());

function applyTexts() {
  const t = props.texts || {};
  element.querySelector('canvas').setAttribute('aria-label', t.canvas || '');
  element.querySelector('.rbr-hint').textContent = t.hint || '';
  element.querySelector('.rbr-undo').textContent = t.undo || '';
  element.querySelector('.rbr-clear').textContent = t.clear || '';
}
watch('texts', applyTexts);
applyTexts();
