// The network in the page: model.py's RowReader, row by row, from the same safetensors file torch reads.
// One step per torch layer type (model.CELLS names the type of each cell), written as model.py writes it; the
// internals each step returns carry the names model.CELLS[key].gates gives them, so the pictures read them alike.
(R => {
  const sigmoid = v => 1 / (1 + Math.exp(-v));

  // Each step: xw = W_ih·x_t + b_ih and hw = W_hh·h + b_hh for one row (G*H numbers each, torch's gate order),
  // the state (h, c) before the row; writes the new h and c in place and the internals at row t into `out`.
  const STEPS = {
    LSTM(xw, hw, h, c, H, out, t) {  // gates input, forget, candidate (g), output
      for (let j = 0; j < H; j++) {
        const i = sigmoid(xw[j] + hw[j]), f = sigmoid(xw[H + j] + hw[H + j]);
        const g = Math.tanh(xw[2 * H + j] + hw[2 * H + j]), o = sigmoid(xw[3 * H + j] + hw[3 * H + j]);
        c[j] = f * c[j] + i * g;
        h[j] = o * Math.tanh(c[j]);
        const k = t * H + j;
        out.forget[k] = f; out.input[k] = i; out.candidate[k] = g; out.output[k] = o; out.c[k] = c[j];
      }
    },
    GRU(xw, hw, h, c, H, out, t) {  // gates reset, update, new; the reset gate scales U·h inside the candidate
      for (let j = 0; j < H; j++) {
        const r = sigmoid(xw[j] + hw[j]), z = sigmoid(xw[H + j] + hw[H + j]);
        const n = Math.tanh(xw[2 * H + j] + r * hw[2 * H + j]);
        h[j] = (1 - z) * n + z * h[j];
        const k = t * H + j;
        out.reset[k] = r; out.update[k] = z; out.candidate[k] = n;
      }
    },
    RNN(xw, hw, h, c, H) {  // tanh: the whole state rewritten from the row and the last state
      for (let j = 0; j < H; j++) h[j] = Math.tanh(xw[j] + hw[j]);
    },
  };

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

  // A model from its spec (model.py's ModelConfig plus the torch layer type and the gate names) and its tensors.
  function model(spec, weights) {
    const {hidden: H, layers, input, classes, module, gates} = spec;
    if (!STEPS[module]) throw new Error(`no step for ${module}`);
    const G = {LSTM: 4, GRU: 3, RNN: 1}[module];
    const layer = l => ({ih: weights[`rnn.weight_ih_l${l}`], hh: weights[`rnn.weight_hh_l${l}`],
                         bih: weights[`rnn.bias_ih_l${l}`], bhh: weights[`rnn.bias_hh_l${l}`]});
    return {spec, G, H, input, classes, gates, step: STEPS[module], outW: weights['out.weight'],
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
        m.step(xw, hw, h, c, H, out, t);
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

  // Models by key, each fetched or decoded once: a spec with `url` (a shipped file, cached by the browser) or
  // `b64` (a visitor's own model, sent once by the server).
  const loaded = new Map();
  async function load(spec) {
    const id = spec.url || spec.b64;
    if (!loaded.has(id)) {
      loaded.set(id, (async () => {
        let buffer;
        if (spec.url) buffer = await (await fetch(spec.url)).arrayBuffer();
        else buffer = Uint8Array.from(atob(spec.b64), ch => ch.charCodeAt(0)).buffer;
        return model(spec, tensors(buffer));
      })());
    }
    return loaded.get(id);
  }

  // The row (1-based) from which the final answer led at every later row (probs: 28 x 10), as ui.tables.settle_row.
  function settleRow(probs) {
    const rows = probs.length / 10, top = t => argmax(probs.subarray(t * 10, t * 10 + 10));
    const last = top(rows - 1);
    for (let t = rows - 2; t >= 0; t--) if (top(t) !== last) return t + 2;
    return 1;
  }
  const argmax = v => v.indexOf(Math.max(...v));

  R.cells = {STEPS, tensors, model, trace, load, settleRow};
})(window.RowByRow = window.RowByRow || {});
