// The network in the page: model.py's RowReader, row by row, from the same safetensors file torch reads, each
// cell's step the program model.py defines it by (sent with the model): no cell is written here.
// A cell's step is data (model.Cell.program, compiled by model.compile_step, sent in the model's spec): lines of
// [name, expression], an expression a number, a name, [op, a, b] or [function, a]. Run here one hidden unit at a
// time, as torch runs it a row at a time: x<k>, u<k> are block k of W·x_t + b and U·h + b for unit j.
const FUNCTIONS = {sigmoid: v => 1 / (1 + Math.exp(-v)), tanh: Math.tanh};
function value(e, env) {
  if (typeof e === 'number') return e;
  if (typeof e === 'string') return env[e];
  if (e.length === 2) return FUNCTIONS[e[0]](value(e[1], env));
  const a = value(e[1], env), b = value(e[2], env);
  return e[0] === '+' ? a + b : e[0] === '-' ? a - b : a * b;
}

// One row: xw, hw (G*H numbers each), the state (h, c) before the row; writes the new h and c in place and each
// internal the cell names (gates) at row t into `out`.
function step(m, xw, hw, h, c, out, t) {
  const {H, G, lines, gates, xs, us} = m, env = {};
  for (let j = 0; j < H; j++) {
    for (let k = 0; k < G; k++) {
      env[xs[k]] = xw[k * H + j];
      env[us[k]] = hw[k * H + j];
    }
    env.h = h[j];
    env.c = c[j];
    for (const [name, e] of lines) env[name] = value(e, env);
    h[j] = env.h;
    c[j] = env.c;
    for (const g of gates) out[g][t * H + j] = env[g];
  }
}

// A safetensors file: 8 bytes of header length (little-endian), a JSON header, then the raw tensors.
function tensors(buffer) {
  const n = Number(new DataView(buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, n)));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (t.dtype !== 'F32') throw new Error(`${name}: ${t.dtype}, not F32`);
    const [a, b] = t.data_offsets;
    out[name] = new Float32Array(buffer.slice(8 + n + a, 8 + n + b));
  }
  return out;
}

// y = W·x + b for W (rows x cols, row-major) and x (cols numbers from offset `at`).
function affine(W, b, x, at, rows, cols, y) {
  for (let r = 0; r < rows; r++) {
    let s = b[r];
    const w = r * cols;
    for (let k = 0; k < cols; k++) s += W[w + k] * x[at + k];
    y[r] = s;
  }
}

// A model from its spec (model.py's ModelConfig, its cell's step and gate names) and its tensors.
function model(spec, weights) {
  const {hidden: H, layers, input, classes, step: lines, gates} = spec;
  const layer = l => ({ih: weights[`rnn.weight_ih_l${l}`], hh: weights[`rnn.weight_hh_l${l}`],
                       bih: weights[`rnn.bias_ih_l${l}`], bhh: weights[`rnn.bias_hh_l${l}`]});
  const G = layer(0).bih.length / H, names = p => Array.from({length: G}, (_, k) => p + k);  // blocks, per the weights
  return {spec, G, H, input, classes, gates, lines, xs: names('x'), us: names('u'), outW: weights['out.weight'],
          outB: weights['out.bias'], layers: Array.from({length: layers}, (_, l) => layer(l))};
}

// Every row's internals of the top layer for one digit x (784 numbers, ink = 1), as model.RowReader.trace:
// h and each gate as (28 x H), probs as (28 x 10): the belief after each row.
function trace(m, x) {
  const T = x.length / m.input, H = m.H, GH = m.G * H;
  const xw = new Float64Array(GH), hw = new Float64Array(GH);
  let below = x, width = m.input, out;
  m.layers.forEach(L => {
    out = {h: new Float32Array(T * H)};
    for (const g of m.gates) out[g] = new Float32Array(T * H);
    const h = new Float64Array(H), c = new Float64Array(H);
    for (let t = 0; t < T; t++) {
      affine(L.ih, L.bih, below, t * width, GH, width, xw);
      affine(L.hh, L.bhh, h, 0, GH, H, hw);
      step(m, xw, hw, h, c, out, t);
      out.h.set(h, t * H);
    }
    below = out.h;
    width = H;
  });
  out.probs = new Float32Array(T * m.classes);
  const logits = new Float64Array(m.classes);
  for (let t = 0; t < T; t++) {
    affine(m.outW, m.outB, out.h, t * H, m.classes, H, logits);
    const top = Math.max(...logits);
    let sum = 0;
    for (let k = 0; k < m.classes; k++) sum += (logits[k] = Math.exp(logits[k] - top));
    for (let k = 0; k < m.classes; k++) out.probs[t * m.classes + k] = logits[k] / sum;
  }
  return out;
}

// Models by key, each fetched or decoded once: a spec with `url` (a shipped file, cached by the browser), kept for
// the page's life; or `b64` (a visitor's own model, sent once by the server), of which only the KEPT_VISITOR_MODELS
// read last are kept: every model taught or trained is another (~130 KB), and one read again after it was dropped
// is decoded again.
const KEPT_VISITOR_MODELS = 4;
const loaded = new Map();  // id -> {shipped, model (a promise)}, the least recently read first
function load(spec) {
  const id = spec.url || spec.b64;
  const entry = loaded.get(id) || {shipped: Boolean(spec.url), model: (async () => {
    let buffer;
    if (spec.url) buffer = await (await fetch(spec.url)).arrayBuffer();
    else buffer = Uint8Array.from(atob(spec.b64), ch => ch.charCodeAt(0)).buffer;
    return model(spec, tensors(buffer));
  })()};
  loaded.delete(id);
  loaded.set(id, entry);
  let visitors = [...loaded.values()].filter(e => !e.shipped).length;
  for (const [key, e] of loaded) {
    if (visitors <= KEPT_VISITOR_MODELS) break;
    if (!e.shipped) (loaded.delete(key), visitors--);
  }
  return entry.model;
}

// The row (1-based) from which the final answer led at every later row (probs: 28 x 10), as evaluate.settle_row.
function settleRow(probs) {
  const rows = probs.length / 10, top = t => argmax(probs.subarray(t * 10, t * 10 + 10));
  const last = top(rows - 1);
  for (let t = rows - 2; t >= 0; t--) if (top(t) !== last) return t + 2;
  return 1;
}
// The index of the largest of v's numbers (the first of equals): the digit a belief names.
const argmax = v => v.indexOf(Math.max(...v));

export {step, tensors, model, trace, load, settleRow, argmax, KEPT_VISITOR_MODELS};
