// The 28x28 the model sees, made from what the canvas holds, by MNIST's recipe: strokes (points in a unit square)
// drawn straight into the 28x28 with MNIST's pen at the scale that makes the ink's longer side 20 px (so the
// visitor's pen width does not matter), pictures (a 28x28 digit filling the square: an example, a shared link)
// resampled; full ink at its strongest; the centre of mass at the field's centre. Plain arithmetic, no canvas:
// preprocess.strokes_to_mnist is the same algorithm in Python, and tests/js/mnist28.test.mjs holds the two equal.
import {manifest} from './shared.js';

// From preprocess.py, in the manifest: the field's side, the digit's longer side (BOX), MNIST's mean stroke width
// in that box (PEN), and the ink below which nothing counts as drawn.
const {side: SIDE, box: BOX, pen: PEN, min_ink: MIN_INK} = manifest.mnist;

// A picture's ink box in the unit square (its pixels at MIN_INK or more); null when it has none.
function pictureBox(ink) {
  let box = null;
  for (let i = 0; i < SIDE * SIDE; i++) {
    if (ink[i] < MIN_INK) continue;
    const x = i % SIDE, y = (i - x) / SIDE;
    box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x + 1), Math.max(box[3], y + 1)]
              : [x, y, x + 1, y + 1];
  }
  return box && box.map(v => v / SIDE);
}

// A picture item: a 28x28 digit (784 numbers in [0, 1]) filling the unit square, and its ink's box.
export const picture = ink => ({ink: Float32Array.from(ink), box: pictureBox(ink)});

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
    if (item.points?.length) for (const [x, y] of item.points) grow(x - r, y - r, x + r, y + r);
    else if (item.box) grow(...item.box);
  }
  return box;
}

// Each stroke's pen coverage of every pixel into `field` (the most ink where items overlap): 1 within the pen's
// radius less half a pixel of the pixel's centre, falling to 0 a pixel further out; only the pixels near each
// segment are visited.
function strokeInto(field, points, s, box) {
  const p = points.map(([x, y]) => [(x - box[0]) * s, (y - box[1]) * s]), reach = PEN / 2 + 0.5;
  const segments = p.length > 1 ? p.slice(1).map((b, k) => [p[k], b]) : [[p[0], p[0]]];
  for (const [[ax, ay], [bx, by]] of segments) {
    const vx = bx - ax, vy = by - ay, length2 = vx * vx + vy * vy;
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach)), y1 = Math.min(SIDE - 1, Math.ceil(Math.max(ay, by) + reach));
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach)), x1 = Math.min(SIDE - 1, Math.ceil(Math.max(ax, bx) + reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5, py = y + 0.5;
        const t = length2 > 0 ? Math.min(Math.max(((px - ax) * vx + (py - ay) * vy) / length2, 0), 1) : 0;
        const dx = px - ax - t * vx, dy = py - ay - t * vy, d2 = dx * dx + dy * dy;
        if (d2 >= reach * reach) continue;  // beyond the pen's reach: no ink, and no square root
        const v = Math.min(reach - Math.sqrt(d2), 1);
        if (v > field[y * SIDE + x]) field[y * SIDE + x] = v;
      }
    }
  }
}

// A picture sampled bilinearly at every pixel's centre into `field` (nothing outside the picture).
function pictureInto(field, ink, s, box) {
  const at = (y, x) => (y >= 0 && y < SIDE && x >= 0 && x < SIDE ? ink[y * SIDE + x] : 0);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const u = (box[0] + (x + 0.5) / s) * SIDE - 0.5, v = (box[1] + (y + 0.5) / s) * SIDE - 0.5;
      const x0 = Math.floor(u), y0 = Math.floor(v), fx = u - x0, fy = v - y0;
      const value = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
                    fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      if (value > field[y * SIDE + x]) field[y * SIDE + x] = value;
    }
  }
}

// The digit as a Float32Array(784), row by row, ink = 1; null when nothing is drawn. preprocess.strokes_to_mnist
// is the same in Python (tests/js hold the two together).
export function mnist28(items) {
  const first = inkBox(items, Infinity);
  if (!first) return null;
  // The scale that makes the ink's longer side BOX pixels: strokes' ink grows by a pen whatever the scale,
  // so the box depends on the scale; a few rounds of s = BOX / side(s) settle it (each shrinks the error 8x).
  const side = b => Math.max(b[2] - b[0], b[3] - b[1]);
  let s = BOX / Math.max(side(first), PEN / BOX);
  for (let k = 0; k < 6; k++) s = BOX / side(inkBox(items, s));
  const box = inkBox(items, s), field = new Float64Array(SIDE * SIDE);
  for (const item of items) {
    if (item.points?.length) strokeInto(field, item.points, s, box);
    else if (item.box) pictureInto(field, item.ink, s, box);
  }
  const ink = Float32Array.from(field);
  let top = 0;
  for (const v of ink) top = Math.max(top, v);
  if (top < MIN_INK) return null;
  // Full ink at its strongest, then the centre of mass to the field's centre, keeping the whole box on the field.
  let mass = 0, cy = 0, cx = 0;
  for (let i = 0; i < ink.length; i++) {
    const v = (ink[i] /= top), x = i % SIDE;
    mass += v; cx += v * x; cy += v * (i - x) / SIDE;
  }
  const h = Math.ceil((box[3] - box[1]) * s - 1e-6), w = Math.ceil((box[2] - box[0]) * s - 1e-6);
  const clip = (v, hi) => Math.min(Math.max(v, 0), hi);
  const dy = clip(Math.round(SIDE / 2 - cy / mass), SIDE - h), dx = clip(Math.round(SIDE / 2 - cx / mass), SIDE - w);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y + dy < SIDE; y++) {
    for (let x = 0; x + dx < SIDE; x++) out[(y + dy) * SIDE + x + dx] = ink[y * SIDE + x];
  }
  return out;
}

export {SIDE};
