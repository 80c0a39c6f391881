// js_on_load of ui/teach.py's TeachPanel, right under the answer: "Not a 7? It's: 0 … 9" for the drawing as the
// chosen model reads it now (in the page), then the corrections and what the taught model learned and forgot, as
// the server's value (ui/teach.py's panel()) says, and the taught model the page reads with (with_model). Props:
// texts (templates in the page's language), value.
const $ = R.views.finder(element);
const f = (key, values) => R.texts.format(props.texts[key], values);
const {argmax} = R.cells;
const aDigit = d => props.texts[`a_digit_${d}`];  // "a 7", "an 8": texts.py spells each digit with its article
let shown = null;  // the newest value the server sent (values are numbered: an older one arriving late is ignored)
let sent = false;  // a correction sent and not answered yet
let base = null;  // the model the taught one started from, while there is one
let clicks = 0;  // digit clicks so far: of two for the same drawing, the server keeps the later

// The question under the answer, for the drawing as the chosen model reads it now.
function ask(state) {
  const trace = state.x ? R.reader.trace(state.choice.draw) : null;
  const top = trace ? argmax(trace.probs.subarray(trace.probs.length - 10)) : null;
  $('.rbr-teach-ask').textContent = top === null ? props.texts.teach_empty : f('teach_not', {a_top: aDigit(top)});
  element.querySelectorAll('.rbr-teach-digit').forEach(button => {
    button.disabled = top === null;
    button.classList.toggle('rbr-teach-top', Number(button.dataset.digit) === top);
    button.setAttribute('aria-label', f('teach_digit', {a_digit: aDigit(button.dataset.digit)}));
  });
  // The taught model gone (forgotten): How it works reads with the model it started from again.
  if (state.specs.taught) base = state.specs.taught.base;
  else if (state.choice.inside === 'taught') R.reader.choose('inside', state.specs[base] ? base : state.choice.draw);
}

// A 28x28 as 784 hex digits (16 grey levels, ink = f) on a canvas: dark ink on white, as it was drawn.
function thumbnail(canvas, hex) {
  const ctx = canvas.getContext('2d'), img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = 255 - Math.round(parseInt(hex[i], 16) * 17);
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

function status(v) {
  if (sent) return props.texts.teach_sent;
  if (v.note) return '⚠️ ' + f(v.note.key, v.note.values);
  // whether the answer above is the taught model's: the model chosen to read (the visitor may pick another)
  const reads = props.texts[R.reader.state.choice.draw === 'taught' ? 'teach_reads_taught' : 'teach_reads_other'];
  const values = {n: v.taught_n || v.n, cell: v.base_cell, seconds: v.seconds ?? 0, reads};
  return {teaching: f('teach_teaching', {...values, n: v.n}), checking: f('teach_checking', values),
          done: f('teach_done', values), forgotten: props.texts.teach_forgotten}[v.status] ?? '';
}

// The forgetting meter: the change in MNIST accuracy, in points, on a scale of at least one point either way.
function meter(m) {
  if (m === null || m === undefined) return '';
  if (m === 'none') return R.texts.html(props.texts.teach_meter_none);
  const delta = (m.after - m.before) * 100, scale = Math.max(1, Math.ceil(Math.abs(delta)));
  const from = 50 + 50 * Math.min(0, delta) / scale, width = 50 * Math.abs(delta) / scale;
  return `<p><strong>${f('teach_meter_title', m)}</strong></p>` +
    `<div class="rbr-gauge" role="meter" aria-valuemin="${-scale}" aria-valuemax="${scale}" ` +
    `aria-valuenow="${delta.toFixed(2)}" aria-label="${f('teach_points', {v: delta})}">` +
    `<span class="rbr-gauge-fill ${delta < 0 ? 'rbr-lost' : 'rbr-kept'}" style="left:${from.toFixed(2)}%;` +
    `width:${Math.max(width, 0.5).toFixed(2)}%"></span><span class="rbr-gauge-zero"></span></div>` +
    `<div class="rbr-gauge-scale"><span>${f('teach_points', {v: -scale})}</span><span>0</span>` +
    `<span>${f('teach_points', {v: scale})}</span></div>` + R.texts.html(f('teach_meter', {...m, delta}));
}

function held(h) {
  if (!h) return '';
  const words = h.n === 1 ? f('teach_held_one', h) : h.n <= h.folds ? f('teach_held_loo', h) : f('teach_held', h);
  return `<p><strong>${props.texts.teach_held_title}</strong></p>` + R.texts.html(words);
}

// A value with the taught model (ui/teach.py's with_model): the page reads with it, or, once it is gone, with the
// model it started from.
function taught(v) {
  R.reader.taught(v.model);
  const specs = R.reader.state.specs;
  if (v.model) R.reader.choose('draw', 'taught');
  else if (R.reader.state.choice.draw === 'taught') {
    R.reader.choose('draw', specs[v.fallback] ? v.fallback : Object.keys(specs)[0]);
  }
}

// The status line, now and whenever the model reading the drawing changes; the panel's state.
function showStatus() {
  const s = shown || {n: 0, corrections: [], status: 'empty', cap: 100}, el = $('.rbr-teach-status');
  const html = R.texts.html(status(s));
  if (el._html !== html) el.innerHTML = el._html = html;  // unchanged at most moves: a screen reader hears it once
  return s;
}

function render() {
  const v = props.value;
  if (v && (!shown || v.token !== shown.token || v.seq > shown.seq)) {
    shown = v, sent = false;
    if ('model' in v) taught(v);
  }
  const s = showStatus(), list = $('.rbr-teach-thumbs');
  // The list is drawn anew: a keyboard's focus on a ✕ stays on that correction's ✕, or, removed, on its neighbour's
  // (else on "Forget all"; on the answer once the panel hides), not lost to the page's top.
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const at = focused ? [...list.querySelectorAll('.rbr-thumb-remove')].indexOf(focused) : -1;
  $('.rbr-teach-panel').hidden = s.n === 0;
  if (s.n === 0) {
    if (focused) document.getElementById('prediction')?.focus();
    return;
  }
  $('.rbr-teach-title').textContent = props.texts.teach_title;
  const count = f(s.base_kind === 'mine' ? 'teach_count_mine' : 'teach_count_shipped',
                  {n: s.n, cap: s.cap, cell: s.base_cell});
  const moved = s.earlier && f('teach_moved', {cell: s.base_cell, earlier: s.earlier});
  const full = s.n >= s.cap && f('teach_cap_note', s);
  $('.rbr-teach-count').innerHTML = R.texts.html([count, moved, full].filter(Boolean).join('\n\n'));
  $('.rbr-teach-legend').textContent = props.texts.teach_legend;
  list.innerHTML = s.corrections.map(c => {
    const kind = c.read === null || c.read === undefined ? 'pending' : c.read === c.label ? 'right' : 'wrong';
    const mark = {right: '✓', wrong: `✗ ${c.read}`, pending: '…'}[kind];
    return `<li class="rbr-thumb rbr-${kind}" data-kind="${kind}"><canvas width="28" height="28"></canvas>` +
      `<span><strong>${c.label}</strong> <span class="rbr-thumb-mark">${mark}</span></span>` +
      `<button type="button" class="rbr-thumb-remove" data-id="${c.id}"><span aria-hidden="true">×</span></button></li>`;
  }).join('');
  list.querySelectorAll('.rbr-thumb').forEach((li, i) => {
    const c = s.corrections[i];
    thumbnail(li.querySelector('canvas'), c.ink);
    const name = f('teach_remove', c);
    li.querySelector('button').setAttribute('aria-label', name);
    li.querySelector('button').title = name;
    const said = f(`teach_${li.dataset.kind}`, c);
    li.title = said;
    li.querySelector('canvas').setAttribute('aria-label', said);
    li.querySelector('canvas').setAttribute('role', 'img');
  });
  if (focused) {
    const buttons = list.querySelectorAll('.rbr-thumb-remove');
    const same = [...buttons].find(b => b.dataset.id === focused.dataset.id);
    (same || buttons[Math.min(at, buttons.length - 1)] || $('.rbr-teach-forget')).focus();
  }
  $('.rbr-teach-held').innerHTML = held(s.held);
  $('.rbr-teach-meter').innerHTML = meter(s.meter);
  $('.rbr-teach-forget').textContent = props.texts.teach_forget;
  $('.rbr-teach-download').textContent = props.texts.teach_download;
}

$('.rbr-teach-digits').addEventListener('click', e => {
  const button = e.target.closest('.rbr-teach-digit');
  if (!button || button.disabled) return;
  sent = true;
  render();
  trigger('submit', {label: Number(button.dataset.digit), model: R.reader.state.choice.draw, click: ++clicks});
});
$('.rbr-teach-thumbs').addEventListener('click', e => {
  const button = e.target.closest('.rbr-thumb-remove');
  if (button) trigger('delete', {id: Number(button.dataset.id)});
});
$('.rbr-teach-forget').addEventListener('click', () => trigger('clear'));
$('.rbr-teach-download').addEventListener('click', () => trigger('download'));

watch('value', render);
watch('texts', () => (ask(R.reader.state), render()));
R.reader.on(state => (ask(state), showStatus()));
render();
