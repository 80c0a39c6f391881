// js_on_load of ui/run_view.py's ProbeView (the Train tab): the probe digit as the network being trained reads it,
// painted from the numbers the server sends at each check (props.numbers: hidden, and x, h, p packed as float32 in
// base64; rows: 28, or more with blank rows under the digit), as the Draw tab paints a reading. Props: numbers, alt.
const R = window.RowByRow;
const box = element.querySelector('.rbr-probe');
const unpack = s => new Float32Array(Uint8Array.from(atob(s), ch => ch.charCodeAt(0)).buffer);

function paint() {
  const n = props.numbers;
  box.hidden = !n;
  box.setAttribute('aria-label', props.alt);
  if (!n || !element.clientWidth) return;
  const P = R.panels;
  R.painter.draw(box, [{key: 'x', cols: 28, square: true, ...P.x}, {key: 'h', cols: n.hidden, ...P.h,
                        title: `h (${n.hidden})`}, {key: 'p', cols: 10, square: true, digits: true, ...P.p}],
                 {x: unpack(n.x), h: unpack(n.h), p: unpack(n.p)}, {rows: n.rows || 28});
}

watch(['numbers', 'alt'], paint);
R.views.onWidth(element, paint);
