// js_on_load of ui/live.py's LessonView: the guided lesson, run in the page. Each step opens a tab and points at a
// view that is already there (scrolls to it, outlines it); a step with a question veils its view until the visitor
// answers, then marks the guess against the truth (R.lesson.truths, from the same traces the views draw) and says
// why. A teacher's link (?lesson=<step>&lock=model&hide=train) opens it at a step with controls locked or hidden;
// a link with any other field opens the plain app and says so. Nothing goes to the server.
// Props: texts, steps, questions, choices, cells, fields, teacher (ui/lesson.py).
const $ = R.views.finder(element);
const t = (key, values = {}) => R.texts.format(props.texts[key], values);
const choice = (ask, c) => t(`lesson_c_${ask}_${c}`, props.questions[ask]);  // a choice's words, its rows filled in
// step: 0-based while the lesson runs; after: the number of the Train tab's last run when the run's question was
// answered (only a later run answers it)
const lesson = {step: null, picked: null, answers: {}, after: 0};
let truths = null, truthsOf = -1;  // the questions' answers for the drawing of state.version truthsOf
let focused = null;  // the view outlined now
const startButton = $('.rbr-lesson-start');  // moved beside Share (below): found by name no more
const note = $('.rbr-lesson-note');  // moved above it

// The page as the link asks for it: controls hidden and locked, as classes on the page (they outlive a redraw and a
// language switch; the address keeps them across a reload).
const link = R.lesson.teacher(location.search, props.fields, props.teacher, props.steps.length);
const hidden = new Set(link.hide || []);
for (const h of hidden) document.documentElement.classList.add(`rbr-hide-${h}`);
for (const l of link.lock || []) document.documentElement.classList.add(`rbr-lock-${l}`);
const steps = props.steps.filter(s => !hidden.has(s.tab));  // a hidden tab's step is left out
// The view whose numbers answer a question, by its question ('error': the error signal's chart; 'trained': the probe)
const reads = Object.fromEntries(props.steps.filter(s => s.reads).map(s => [s.ask, s.reads]));

// The models' fieldsets disabled while the model is locked (again after every redraw of their choices).
function lock() {
  if (!(link.lock || []).includes('model')) return;
  for (const id of ['reader', 'inside-model']) {
    const set = document.getElementById(id);
    if (set && !set.disabled) set.disabled = true;
  }
}

// The questions' answers for the drawing (computed once it settles), with those the server's views hold now (the
// error signal's chart; a run's probe, pressed after its question was answered: lesson.after).
function answers(state) {
  if (!state.x) return null;
  const models = {gated: R.reader.model(props.cells.gated), plain: R.reader.model(props.cells.plain)};
  if (!models.gated || !models.plain) return null;
  if (truthsOf !== state.version || !truths) {
    if (!state.settled) return null;  // 29 readings of the drawing: once it settles, not at every move of the pen
    truths = R.lesson.truths(models, state.x, props.questions);
    truthsOf = state.version;
  }
  return {...truths, ...R.lesson.fromViews(models, R.reader.shown(reads.error), R.reader.shown(reads.trained),
                                           props.questions, lesson.after)};
}

// A question's words: its numbers, with the answer's own once known; the run's question names the drawing's
// reading (the shipped model's answer, which the run's is checked against).
function asked(ask, truth, all) {
  const values = {...props.questions[ask], ...(truth || {})};
  return ask === 'trained' ? {...values, top: (all || truths || {}).settle?.top ?? '?'} : values;
}

function openTab(tab) {  // (once Gradio has drawn the tabs)
  R.views.whenFound(`#${CSS.escape(tab)}-tab-button`).then(button => {
    if (button.getAttribute('aria-selected') !== 'true') button.click();
  });
}

// The step's view: its tab opened, scrolled to and outlined once it shows; veiled while its question waits for an
// answer. Only the latest step pointed at is shown (a visitor may move on before its tab opens).
let pointed = 0;
function point(step, veiled) {
  if (focused) focused.classList.remove('rbr-lesson-focus', 'rbr-lesson-veil');
  openTab(step.tab);
  const mine = ++pointed;
  R.views.whenShown(`#${CSS.escape(step.view)}`).then(view => {
    if (mine !== pointed) return;
    focused = view;
    view.classList.add('rbr-lesson-focus');
    view.classList.toggle('rbr-lesson-veil', veiled);
    if (step.cell) R.reader.choose('inside', step.cell);
    if (step.row && !veiled) {
      const slider = document.getElementById('row');
      if (slider) (slider.value = step.row, slider.dispatchEvent(new Event('input', {bubbles: true})));
    }
    view.scrollIntoView({block: 'start', behavior: 'smooth'});
  });
}

function go(i) {
  lesson.step = Math.max(0, Math.min(i, steps.length - 1));
  lesson.picked = null;
  $('.rbr-lesson-panel').classList.remove('rbr-lesson-folded');
  const step = steps[lesson.step];
  render();
  point(step, Boolean(step.ask) && !(step.ask in lesson.answers));
  $('.rbr-lesson-title').focus();
}

function tally(all) {  // all: the questions' answers now (answers())
  const known = Object.keys(lesson.answers).filter(k => lesson.answers[k].truth);  // a run's may still be waited for
  const right = known.filter(k => lesson.answers[k].guess === lesson.answers[k].truth.answer);
  const rows = steps.filter(s => s.ask).map(s => {
    const a = lesson.answers[s.ask], truth = a ? a.truth : all[s.ask];
    const name = v => v ? choice(s.ask, v) : '—';
    return `<tr><th scope="row">${R.texts.html(t(`lesson_q_${s.ask}`, asked(s.ask, truth, all))).replace(/<\/?p>/g, '')}</th>` +
      `<td>${name(a && a.guess)}${a && truth ? (a.guess === truth.answer ? ' ✓' : ' ✗') : ''}</td>` +
      `<td>${name(truth && truth.answer)}</td></tr>`;
  }).join('');
  return R.texts.html(t('lesson_tally', {right: right.length, asked: known.length})) +
    `<table class="rbr-lesson-answers"><caption>${props.texts.lesson_answers}</caption><thead><tr>` +
    `<th scope="col">${props.texts.lesson_col_question}</th><th scope="col">${props.texts.lesson_col_yours}</th>` +
    `<th scope="col">${props.texts.lesson_col_truth}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function render() {
  lock();
  const state = R.reader.state, running = lesson.step !== null;
  document.documentElement.classList.toggle('rbr-lesson-on', running);  // room to scroll a view above the panel
  const start = startButton;
  start.textContent = t('lesson_start', {n: steps.length});
  start.hidden = running || !state.x;
  $('.rbr-lesson-panel').hidden = !running;
  note.hidden = !link.refused;
  if (link.refused) note.textContent = t('lesson_refused', {fields: link.refused.join(', ')});
  const folded = $('.rbr-lesson-panel').classList.contains('rbr-lesson-folded');
  $('.rbr-lesson-fold').textContent = props.texts[folded ? 'lesson_unfold' : 'lesson_fold'];
  $('.rbr-lesson-fold').setAttribute('aria-expanded', String(!folded));
  $('.rbr-lesson-close').setAttribute('aria-label', props.texts.lesson_close);
  $('.rbr-lesson-close').title = props.texts.lesson_close;
  if (!running) return;
  const step = steps[lesson.step], all = answers(state), done = step.ask && lesson.answers[step.ask];
  if (done && !done.truth && all?.[step.ask]) done.truth = all[step.ask];  // a run's answer, come in since
  // Whether the question can be checked now: its answer known (a run's comes after: only the drawing's read)
  const ready = Boolean(all) && (Boolean(step.after) || Boolean(all[step.ask]));
  $('.rbr-lesson-count').textContent = t('lesson_count', {n: lesson.step + 1, total: steps.length});
  $('.rbr-lesson-title').textContent = props.texts[`lesson_${step.key}_title`];
  $('.rbr-lesson-body').innerHTML = R.texts.html(props.texts[`lesson_${step.key}_body`]);
  const ask = $('.rbr-lesson-ask');
  ask.hidden = !step.ask;
  $('.rbr-lesson-wait').hidden = !step.ask || ready || Boolean(done);
  $('.rbr-lesson-wait').textContent = state.x ? props.texts.loading : props.texts.lesson_draw_first;
  if (step.ask) {
    $('.rbr-lesson-ask legend').textContent = t(`lesson_q_${step.ask}`, asked(step.ask, done ? done.truth : null, all));
    const known = done && done.truth;
    // (drawn again: the choice that had the keyboard's focus keeps it)
    const focus = document.activeElement?.closest?.('.rbr-lesson-choices') ? document.activeElement.value : null;
    $('.rbr-lesson-choices').innerHTML = props.choices[step.ask].map(c => {
      const mark = !known ? '' : c === known.answer ? ' rbr-lesson-truth' : c === done.guess ? ' rbr-lesson-miss' : '';
      const checked = (done ? done.guess : lesson.picked) === c ? ' checked' : '';
      return `<label class="rbr-lesson-choice${mark}"><input type="radio" name="rbr-lesson-choice" value="${c}"` +
        `${checked}${done || !ready ? ' disabled' : ''}> ${choice(step.ask, c)}</label>`;
    }).join('');
    if (focus) $(`.rbr-lesson-choices input[value="${focus}"]`)?.focus();
    const check = $('.rbr-lesson-check');
    check.textContent = props.texts.lesson_check;
    check.hidden = Boolean(done);
    check.disabled = !ready || !lesson.picked;
    $('.rbr-lesson-result').innerHTML = !done ? '' : !known ? R.texts.html(t(`lesson_wait_${step.after}`, props.questions[step.ask]))
      : R.texts.html(t(done.guess === known.answer ? 'lesson_right' : 'lesson_wrong', {truth: choice(step.ask, known.answer),
        why: t(`lesson_why_${step.ask}_${known.why ?? known.answer}`, asked(step.ask, known, all))}));
  }
  const last = lesson.step === steps.length - 1;
  $('.rbr-lesson-tally').innerHTML = last ? tally(all || {}) : '';
  $('.rbr-lesson-back').textContent = props.texts.lesson_back;
  $('.rbr-lesson-back').disabled = lesson.step === 0;
  $('.rbr-lesson-next').textContent = props.texts[last ? 'lesson_finish' : 'lesson_next'];
  $('.rbr-lesson-next').disabled = Boolean(step.ask) && !done;
}

startButton.addEventListener('click', () => go(0));
$('.rbr-lesson-close').addEventListener('click', () => {
  lesson.step = null;
  pointed++;  // a view still waiting to show is outlined no more
  if (focused) focused.classList.remove('rbr-lesson-focus', 'rbr-lesson-veil');
  render();
});
$('.rbr-lesson-fold').addEventListener('click', () => {
  $('.rbr-lesson-panel').classList.toggle('rbr-lesson-folded');
  render();
});
$('.rbr-lesson-back').addEventListener('click', () => go(lesson.step - 1));
$('.rbr-lesson-next').addEventListener('click', () => {
  if (lesson.step === steps.length - 1) $('.rbr-lesson-close').click();
  else go(lesson.step + 1);
});
$('.rbr-lesson-choices').addEventListener('change', e => {
  lesson.picked = e.target.value;
  $('.rbr-lesson-check').disabled = !lesson.picked;
});
$('.rbr-lesson-check').addEventListener('click', () => {
  const step = steps[lesson.step], truth = answers(R.reader.state);
  if (!lesson.picked || !truth) return;
  if (step.after) {  // answered before the run it is about: only a run pressed from now on answers it
    lesson.after = R.reader.shown(step.reads)?.run || 0;
    lesson.answers[step.ask] = {guess: lesson.picked, truth: null};
  } else {
    if (!truth[step.ask]) return;
    lesson.answers[step.ask] = {guess: lesson.picked, truth: truth[step.ask]};
  }
  render();
  point(step, false);
  $('.rbr-lesson-result').focus();
});

// The start button sits on the Draw tab, beside Share, once there is a reading; a refused link's note above it,
// where a visitor looks first.
R.views.whenFound('#reading-panel .rbr-share-row').then(row => (row.append(startButton), row.before(note)));

let version = -1;
R.reader.on(state => {
  if (state.version === version && lesson.step === null) return lock();
  version = state.version;
  render();
});
watch('texts', render);
// A view's numbers changed (the error signal's chart, a run's probe): the open question may be answered now.
// (Only on a step whose question reads that view; a choice being made keeps the keyboard's focus through a redraw.)
R.reader.onShow(name => {
  const step = lesson.step !== null && steps[lesson.step];
  if (step && step.reads === name) render();
});
if (link.step) {  // a link's lesson opens once its drawing (if any) is on the canvas
  const drawn = R.link.open(location.search).x ? R.reader.until(state => state.version > 0) : Promise.resolve();
  drawn.then(() => go(link.step - 1));
}
render();
