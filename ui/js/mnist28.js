// The 28x28 the model sees, made from what the canvas holds, by MNIST's recipe (as preprocess.to_mnist does for
// an image): crop to the ink, longer side 20 px, the pen at MNIST's stroke width for that size, centre of mass at
// pixel (14, 14). The canvas holds strokes (points in a unit square) and pictures (a 28x28 digit filling the
// square: an example, a shared link); strokes are drawn straight into the 28x28 with MNIST's pen, not shrunk from
// the big canvas, so the visitor's pen width does not matter.
// From preprocess.py, in the manifest: the field's side, the digit's longer side (BOX), MNIST's mean stroke width
// in that box (PEN), and the ink below which nothing counts as drawn.
import {manifest} from './shared.js';

const {side: SIDE, box: BOX, pen: PEN, min_ink: MIN_INK} = manifest.mnist;
const field = document.createElement('canvas');
field.width = field.height = SIDE;
const ctx = field.getContext('2d', {willReadFrequently: true});

// A picture item: its ink (784 numbers in [0, 1]) as an image with the ink in alpha, and its ink's box in the
// unit square ([x0, y0, x1, y1]; null when it has none).
export function picture(ink) {
  const c = document.createElement('canvas');
  c.width = c.height = SIDE;
  const data = new ImageData(SIDE, SIDE);
  let box = null;
  for (let i = 0; i < SIDE * SIDE; i++) {
    data.data[i * 4 + 3] = Math.round(ink[i] * 255);
    if (ink[i] >= MIN_INK) {
      const x = i % SIDE, y = (i - x) / SIDE;
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x + 1), Math.max(box[3], y + 1)]
                : [x, y, x + 1, y + 1];
    }
  }
  c.getContext('2d').putImageData(data, 0, 0);
  return {img: c, box: box && box.map(v => v / SIDE)};
}

// The ink's box in the unit square when the field has `s` pixels per unit: strokes reach half a pen beyond
// their points, and the pen is PEN pixels wide whatever the scale.
function inkBox(items, s) {
  const r = PEN / 2 / s;
  let box = null;
  const grow = (x0, y0, x1, y1) => {
    box = box ? [Math.min(box[0], x0), Math.min(box[1], y0), Math.max(box[2], x1), Math.max(box[3], y1)]
              : [x0, y0, x1, y1];
  };
  for (const item of items) {
    if (item.points) for (const [x, y] of item.points) grow(x - r, y - r, x + r, y + r);
    else if (item.box) grow(...item.box);
  }
  return box;
}

function paint(items, s, box) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, SIDE, SIDE);
  ctx.setTransform(s, 0, 0, s, -box[0] * s, -box[1] * s);  // the ink's box starts at pixel (0, 0)
  ctx.imageSmoothingEnabled = true;
  ctx.lineCap = ctx.lineJoin = 'round';
  ctx.lineWidth = PEN / s;
  ctx.strokeStyle = '#000';
  for (const item of items) {
    if (item.img) {
      if (item.box) ctx.drawImage(item.img, 0, 0, 1, 1);
      continue;
    }
    const p = item.points;
    ctx.beginPath();
    ctx.moveTo(p[0][0], p[0][1]);
    if (p.length === 1) ctx.lineTo(p[0][0] + 1e-4, p[0][1]);
    for (let k = 1; k < p.length; k++) ctx.lineTo(p[k][0], p[k][1]);
    ctx.stroke();
  }
}

// The digit as a Float32Array(784), row by row, ink = 1; null when nothing is drawn.
export function mnist28(items) {
  if (!items.some(item => item.points || item.box)) return null;
  // The scale that makes the ink's longer side BOX pixels: strokes' ink grows by a pen whatever the scale,
  // so the box depends on the scale; a few rounds of s = BOX / side(s) settle it (each shrinks the error 8x).
  const side = b => Math.max(b[2] - b[0], b[3] - b[1]);
  let s = BOX / Math.max(side(inkBox(items, Infinity)), PEN / BOX);
  for (let k = 0; k < 6; k++) s = BOX / side(inkBox(items, s));
  const box = inkBox(items, s);
  paint(items, s, box);
  const rgba = ctx.getImageData(0, 0, SIDE, SIDE).data;
  const ink = new Float32Array(SIDE * SIDE);
  let top = 0;
  for (let i = 0; i < ink.length; i++) top = Math.max(top, ink[i] = rgba[i * 4 + 3] / 255);
  if (top < MIN_INK) return null;
  // Full ink at its strongest, then the centre of mass to pixel (14, 14), keeping the whole box on the field.
  let mass = 0, cy = 0, cx = 0;
  for (let i = 0; i < ink.length; i++) {
    const v = (ink[i] /= top), x = i % SIDE;
    mass += v; cx += v * x; cy += v * (i - x) / SIDE;
  }
  const h = Math.ceil((box[3] - box[1]) * s - 1e-6), w = Math.ceil((box[2] - box[0]) * s - 1e-6);
  const clip = (v, hi) => Math.min(Math.max(v, 0), hi);
  const dy = clip(Math.round(14 - cy / mass), SIDE - h), dx = clip(Math.round(14 - cx / mass), SIDE - w);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y + dy < SIDE; y++) {
    for (let x = 0; x + dx < SIDE; x++) out[(y + dy) * SIDE + x + dx] = ink[y * SIDE + x];
  }
  return out;
}

export {SIDE};
