// The drawing surface (js_on_load of ui/canvas.py's DigitCanvas): `element`, `props`, `watch` come from gr.HTML.
// Strokes are kept as points in a unit square, so the picture survives resizes and Undo can redraw without the
// last one. While the pen moves, a small PNG of the drawing becomes props.value about ten times a second, and
// again at pen-up; each new value is a change event, which the server takes with trigger_mode="always_last".
// When the drawing settles (pen-up, Undo, Clear, an example, a shared link) a 'settle' event follows.
const SEND = 140;  // side of the picture sent to the server (5 x 28)
const PEN = 0.055;  // pen diameter as a share of the canvas side: MNIST's stroke on a digit filling the square
const EVERY_MS = 100;
const pad = element.querySelector('.rbr-pad');
const canvas = element.querySelector('canvas');
const ctx = canvas.getContext('2d');
const small = document.createElement('canvas');
small.width = small.height = SEND;
const sctx = small.getContext('2d');
let items = [];  // strokes {points: [[x, y], ...]} and pictures {img} (an example, a shared link), oldest first
let current = null, timer = null, lastSent = 0;

function paintItem(c, item, side) {
  if (item.img) {
    c.imageSmoothingEnabled = true;
    c.drawImage(item.img, 0, 0, side, side);
    return;
  }
  const p = item.points;
  c.lineWidth = PEN * side;
  c.lineCap = c.lineJoin = 'round';
  c.strokeStyle = '#111';
  c.beginPath();
  c.moveTo(p[0][0] * side, p[0][1] * side);
  for (const [x, y] of p.length > 1 ? p.slice(1) : [[p[0][0] + 1e-4, p[0][1]]]) c.lineTo(x * side, y * side);
  c.stroke();
}

function paint(c, side) {
  c.clearRect(0, 0, side, side);
  for (const item of items) paintItem(c, item, side);
}

function redraw() {
  paint(ctx, canvas.width);
  pad.classList.toggle('rbr-empty', items.length === 0);
}

function resize() {  // crisp on high-DPI screens: as many canvas pixels as device pixels
  const side = Math.round(canvas.clientWidth * (window.devicePixelRatio || 1));
  if (side > 0 && canvas.width !== side) {
    canvas.width = canvas.height = side;
    redraw();
  }
}

function send() {
  clearTimeout(timer);
  timer = null;
  lastSent = performance.now();
  if (!items.length) {
    props.value = '';
    return;
  }
  paint(sctx, SEND);  // the vector strokes drawn again at the small size: sharper than shrinking the big canvas
  props.value = small.toDataURL('image/png');
}

function soon() {  // at most one picture per EVERY_MS while drawing
  const wait = EVERY_MS - (performance.now() - lastSent);
  if (wait <= 0) send();
  else if (!timer) timer = setTimeout(send, wait);
}

function at(e) {
  const r = canvas.getBoundingClientRect();
  const clamp = v => Math.min(1, Math.max(0, v));
  return [clamp((e.clientX - r.left) / r.width), clamp((e.clientY - r.top) / r.height)];
}

canvas.addEventListener('pointerdown', e => {
  if (e.button > 0) return;
  e.preventDefault();
  canvas.setPointerCapture(e.pointerId);
  current = {points: [at(e)]};
  items.push(current);
  redraw();
  soon();
});
canvas.addEventListener('pointermove', e => {
  if (!current) return;
  for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) current.points.push(at(ev));
  redraw();
  soon();
});
const penUp = () => {
  if (!current) return;
  current = null;
  send();
  trigger('settle');
};
canvas.addEventListener('pointerup', penUp);
canvas.addEventListener('pointercancel', penUp);
canvas.addEventListener('lostpointercapture', penUp);

// A 28x28 digit (white ink on black, as in MNIST) becomes dark ink on the transparent canvas.
function picture(src, then) {
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const cc = c.getContext('2d');
    cc.drawImage(img, 0, 0);
    const d = cc.getImageData(0, 0, c.width, c.height);
    for (let i = 0; i < d.data.length; i += 4) {
      const ink = d.data[i];
      d.data[i] = d.data[i + 1] = d.data[i + 2] = 17;
      d.data[i + 3] = ink;
    }
    cc.putImageData(d, 0, 0);
    then({img: c});
  };
  img.src = src;
}

function start(src) {  // an example or a shared drawing: on a fresh canvas, read at once, drawn on from there
  picture(src, item => {
    items = [item];
    redraw();
    send();
    trigger('settle');
  });
}

element.querySelector('.rbr-undo').addEventListener('click', () => {
  items.pop();
  redraw();
  send();
  trigger('settle');
});
element.querySelector('.rbr-clear').addEventListener('click', () => {
  items = [];
  redraw();
  send();
  trigger('settle');
});
pad.addEventListener('rbr-start', e => start(e.detail));  // sent by the example strip

// A value the server sets (a shared link): a 28x28 data URL, drawn as the start of a fresh drawing.
watch('value', () => {
  if (!props.value) {
    items = [];
    redraw();
  } else if (props.value.startsWith('data:image/') && props.value.length < 20000) {
    picture(props.value, item => {
      items = [item];
      redraw();
      trigger('settle');
    });
  }
});

function applyTexts() {
  const t = props.texts || {};
  canvas.setAttribute('aria-label', t.canvas || '');
  element.querySelector('.rbr-hint').textContent = t.hint || '';
  element.querySelector('.rbr-undo').textContent = t.undo || 'Undo';
  element.querySelector('.rbr-clear').textContent = t.clear || 'Clear';
}
watch('texts', applyTexts);
applyTexts();
new ResizeObserver(resize).observe(canvas);
resize();
redraw();
