// The drawing surface: pointer events (mouse, touch, pen) become strokes, kept as points in a unit square so the
// picture survives resizes and Undo can redraw without the last one. Every change of the drawing goes to
// the reader (reader.js) at once (the page reads it in the same frame); the server hears nothing while the pen moves.
// The keyboard draws through the same strokes: arrows move a pen cursor on a GRID x GRID grid, Space puts ink
// down or lifts it, Backspace (or Ctrl+Z) undoes and Delete clears.
import {manifest} from './shared.js';
import {picture, SIDE} from './mnist28.js';

const PEN = 0.055;  // pen diameter on the big canvas, as a share of its side: bold enough to see on a phone
const GRID = manifest.mnist.side, FAST = 3;  // the keyboard pen's grid (one step a pixel of the 28x28's side); Shift: FAST steps
const ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};

// A picture item's ink (784 numbers, a 28x28 digit) as an image, the ink in alpha: what the pad shows of it.
function inkImage(ink) {
  const c = document.createElement('canvas');
  c.width = c.height = SIDE;
  const data = new ImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) data.data[i * 4 + 3] = Math.round(ink[i] * 255);
  c.getContext('2d').putImageData(data, 0, 0);
  return c;
}

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

// A pad on `canvas`: `changed(items, settled)` after every change; settled when the pen lifts, on Undo, Clear
// and when a drawing starts from a digit. `cursor`, an element over the canvas that shows the keyboard's pen;
// `penMoved(down)` when the keyboard puts it down or lifts it.
function pad(canvas, changed, cursor = null, penMoved = () => {}) {
  const ctx = canvas.getContext('2d');
  let items = [], current = null;
  let cell = [Math.floor(GRID / 2), Math.floor(GRID / 2)], keyDown = false;  // the keyboard pen: where, ink down

  function redraw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const item of items) paintItem(ctx, item, canvas.width);
  }
  function change(settled) {
    redraw();
    changed(items, settled);
  }
  function resize() {  // crisp on high-DPI screens: as many canvas pixels as device pixels
    const side = Math.round(canvas.clientWidth * (window.devicePixelRatio || 1));
    if (side > 0 && canvas.width !== side) {
      canvas.width = canvas.height = side;
      redraw();
    }
  }
  const at = e => {
    const r = canvas.getBoundingClientRect();
    const clamp = v => Math.min(1, Math.max(0, v));
    return [clamp((e.clientX - r.left) / r.width), clamp((e.clientY - r.top) / r.height)];
  };
  canvas.addEventListener('pointerdown', e => {
    if (e.button > 0) return;
    lift();  // a keyboard stroke under way ends where the pointer begins
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    // (the page's CSS turns the browser's scroll anchoring off while the pen is down: app.py)
    document.documentElement.classList.add('rbr-pen-down');
    current = {points: [at(e)]};
    items.push(current);
    change(false);
  });
  canvas.addEventListener('pointermove', e => {
    if (!current) return;
    for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) current.points.push(at(ev));
    change(false);
  });
  const up = () => {
    if (!current) return;
    current = null;
    document.documentElement.classList.remove('rbr-pen-down');
    change(true);
  };
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  canvas.addEventListener('lostpointercapture', up);
  new ResizeObserver(resize).observe(canvas);
  resize();

  const point = () => cell.map(v => (v + 0.5) / GRID);
  function showCursor() {
    if (!cursor) return;
    const [x, y] = point();
    cursor.style.left = `${x * 100}%`;
    cursor.style.top = `${y * 100}%`;
    cursor.classList.toggle('rbr-ink', keyDown);
  }
  function lift() {  // the keyboard's stroke ends: settled, as at pointer-up
    if (!keyDown) return;
    keyDown = false;
    current = null;
    showCursor();
    penMoved(false);
    change(true);
  }
  canvas.addEventListener('keydown', e => {
    if (cursor) cursor.hidden = false;
    const arrow = ARROWS[e.key];
    if (arrow && !e.altKey && !e.ctrlKey && !e.metaKey) {
      for (let i = 0; i < (e.shiftKey ? FAST : 1); i++) {  // every step a point: a long move is a straight line
        cell = cell.map((v, k) => Math.min(GRID - 1, Math.max(0, v + arrow[k])));
        if (keyDown) current.points.push(point());
      }
      showCursor();
      if (keyDown) change(false);
    } else if (e.key === ' ' || e.key === 'Enter') {
      if (keyDown) lift();
      else {
        keyDown = true;
        current = {points: [point()]};
        items.push(current);
        showCursor();
        penMoved(true);
        change(false);
      }
    } else if (e.key === 'Backspace' || (e.key.toLowerCase() === 'z' && (e.ctrlKey || e.metaKey))) {
      keyDown = false;
      current = null;
      showCursor();
      items.pop();
      change(true);
    } else if (e.key === 'Delete') {
      keyDown = false;
      current = null;
      showCursor();
      items = [];
      change(true);
    } else return;
    e.preventDefault();
  });
  canvas.addEventListener('focus', () => {
    if (cursor) cursor.hidden = !canvas.matches(':focus-visible');  // from the keyboard, not a click
    showCursor();
  });
  canvas.addEventListener('blur', () => {
    lift();
    if (cursor) cursor.hidden = true;
  });
  return {
    undo() { items.pop(); change(true); },
    clear() { items = []; change(true); },
    start(ink) { items = [{...picture(ink), img: inkImage(ink)}]; change(true); },  // a fresh drawing from a 28x28 digit
    get items() { return items; },
  };
}

// A digit picture (a PNG or data URL, white ink on black as MNIST stores it) as 784 numbers of ink.
function inkOf(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = c.height = SIDE;
      const cc = c.getContext('2d');
      cc.drawImage(img, 0, 0, c.width, c.height);
      const rgba = cc.getImageData(0, 0, c.width, c.height).data;
      resolve(Float32Array.from({length: c.width * c.height}, (_, i) => rgba[i * 4] / 255));
    };
    img.onerror = reject;
    img.src = src;
  });
}

export {pad, inkOf};
