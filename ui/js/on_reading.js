// js_on_load of ui/live.py's Reading: the answer to the drawing, read in the page by the chosen model: the top
// classes, the caption's facts, which model reads, and a link to share. Props: texts (templates in the page's
// language), models (key -> spec: the Draw tab's; the taught one comes with the teach panel's value, and the page
// reads with R.reader.state.specs, both), choice (set by the server: a shared link, "use this model"), unsure and sure (the caption's thresholds, ui/live.py), kept
// (the choices whose model stays in this session: a link cannot carry it).
const $ = R.views.finder(element);
const f = (key, values) => R.texts.format(props.texts[key], values);

function choices() {  // the model buttons: every model the page can read with, in the server's order
  const group = $('.rbr-choice');
  const specs = R.reader.state.specs, keys = Object.keys(specs);
  if (group.dataset.keys !== keys.join() + props.texts.reader) {
    group.dataset.keys = keys.join() + props.texts.reader;
    group.innerHTML = `<legend>${props.texts.reader}</legend>` + keys.map(k =>
      `<label><input type="radio" name="rbr-model" value="${k}"><span></span></label>`).join('');
    group.querySelectorAll('label').forEach((label, i) => {
      const spec = specs[keys[i]];
      label.querySelector('span').textContent = spec.label ?? props.texts[spec.label_key];
    });
  }
  group.querySelectorAll('input').forEach(input => { input.checked = input.value === R.reader.state.choice.draw; });
}

// What a screen reader hears: the answer once the drawing settles (pen up, Undo, Clear, an example), not at every
// move; said again only for a new drawing (its version) or a new answer.
let said = '';
function announce(state, words) {
  if (!state.settled || !state.version || said === `${state.version}:${words}`) return;
  said = `${state.version}:${words}`;
  $('#announce').textContent = words;
}

function show(state) {
  choices();
  const choice = state.choice.draw, spec = state.specs[choice];
  if (!spec) return;
  $('.rbr-model-name').innerHTML = R.texts.html(spec.error ? props.texts.weights_error
                                                    : f(spec.describe, {...spec, cell: spec.name, h: spec.hidden}));
  const warning = spec.error ? props.texts.weights_error + '\n\n' : '';
  const trace = R.reader.trace(choice);
  $('.rbr-share').disabled = !state.x;
  if (!state.x || !trace) {
    $('.rbr-bars').innerHTML = '';
    const waiting = state.x && R.reader.state.loading[choice];
    const words = waiting && waiting !== 'loading' ? props.texts.model_failed : waiting ? props.texts.loading
                                                                                        : props.texts.empty;
    $('.rbr-caption').innerHTML = R.texts.html(warning + words);
    if (!state.x) announce(state, props.texts.announce_empty);
    return;
  }
  const last = trace.probs.subarray(trace.probs.length - 10);
  R.painter.bars($('.rbr-bars'), last);
  const order = Array.from(last.keys()).sort((a, b) => last[b] - last[a]);
  const values = {top: order[0], p: last[order[0]], second: order[1], p2: last[order[1]], cell: spec.name,
                  h: spec.hidden, row: R.cells.settleRow(trace.probs)};
  // ui/live.py's caption_key, with its thresholds from the server
  const key = values.p >= props.sure ? 'caption' : values.p >= props.unsure ? 'caption_leaning' : 'caption_unsure';
  announce(state, f('announce', values));
  let words = f(key, values);
  if (spec.note) words += '\n\n' + props.texts[spec.note];
  $('.rbr-caption').innerHTML = R.texts.html(warning + words);
}

// What the links say about a model that stays in its session, as {key, values}, kept to write again in another
// language: the one made here (#share-note), the one this page was opened with (#linked-note).
const notes = {share: null, linked: null};
function writeNotes() {
  for (const [name, note] of Object.entries(notes)) {
    const p = $(`.rbr-${name}-note`);
    p.hidden = !note;
    p.innerHTML = note ? R.texts.html(f(note.key, note.values)) : '';
  }
}

// The link made last (the drawing's version and model it holds): taken away once either changes, so what is shown
// is never a link to another drawing than the one on screen.
let shared = null;
function unshare(state) {
  if (!shared || (state.version === shared.version && state.choice.draw === shared.choice)) return;
  shared = null;
  $('.rbr-link').hidden = true;
  $('.rbr-copied').textContent = '';
  notes.share = null;
  writeNotes();
}

$('.rbr-share').addEventListener('click', async () => {
  const x = R.reader.state.x;
  if (!x) return;
  const choice = R.reader.state.choice.draw, spec = R.reader.state.specs[choice];
  shared = {version: R.reader.state.version, choice};
  const kept = props.kept.includes(choice) && spec;
  const url = location.origin + location.pathname + '?' + R.link.query(x, choice, 'draw', kept ? spec.cell : null);
  notes.share = kept ? {key: `share_kept_${choice}`, values: {cell: spec.name}} : null;
  writeNotes();
  const link = $('.rbr-link');
  link.hidden = false;
  link.value = url;
  link.select();
  const status = $('.rbr-copied');
  try {
    if (navigator.share && matchMedia('(pointer: coarse)').matches) await navigator.share({url});
    else await navigator.clipboard.writeText(url);
    status.textContent = props.texts.share_copied;
  } catch (e) {
    status.textContent = e.name === 'AbortError' ? '' : props.texts.share_select;
  }
});

$('.rbr-choice').addEventListener('change', e => R.reader.choose('draw', e.target.value));
watch('choice', () => R.reader.choose('draw', props.choice));
watch('models', () => R.reader.models(props.models));
watch(['texts', 'unsure', 'sure'], () => {
  $('.rbr-choice').dataset.keys = '';
  $('.rbr-label').textContent = props.texts.prediction;
  $('.rbr-share').textContent = props.texts.share;
  $('.rbr-copied').textContent = '';
  writeNotes();
  show(R.reader.state);
});
$('.rbr-label').textContent = props.texts.prediction;
$('.rbr-share').textContent = props.texts.share;
R.reader.models(props.models);
if (props.choice) R.reader.choose('draw', props.choice);
const linked = R.link.open(location.search);  // a shared link's model, if this page has it
if (props.kept.includes(linked.model)) {
  // Made while a model of its maker's session read: the shipped model of its cell reads here (this page's
  // default when the link names no shipped cell), and the page says so.
  const specs = R.reader.state.specs;
  if (Object.hasOwn(specs, linked.cell ?? '') && !props.kept.includes(linked.cell)) {
    R.reader.choose('draw', linked.cell);  // (own keys only: a link may say c=constructor)
  }
  const spec = specs[R.reader.state.choice.draw];
  if (spec) notes.linked = {key: `linked_kept_${linked.model}`, values: {cell: spec.name}};
  writeNotes();
} else if (Object.hasOwn(R.reader.state.specs, linked.model ?? '')) R.reader.choose('draw', linked.model);
R.reader.on(show);
R.reader.on(unshare);
