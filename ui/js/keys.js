// The page's keyboard where Gradio's own markup falls short (issue 32): the language switch is one group (one Tab
// stop, arrow keys choose; Gradio 6.31 names each of its radios apart, so each was a stop of its own), and the tabs
// are one Tab stop whose arrow keys, Home and End move between them and open them (the ARIA tabs pattern; Gradio's
// tabs are a stop each and ignore arrows). Only attributes and listeners: Gradio draws the same elements.
const tabs = () => [...document.querySelectorAll('[role=tablist] > [role=tab]')];

function roving() {  // the selected tab is the group's Tab stop, the others are reached with arrows
  for (const tab of tabs()) {
    const index = tab.getAttribute('aria-selected') === 'true' ? 0 : -1;
    if (tab.tabIndex !== index) tab.tabIndex = index;
  }
}

function languageGroup() {
  const wrap = document.querySelector('#language input[type=radio]')?.closest('label')?.parentElement;
  if (!wrap) return false;
  if (wrap.getAttribute('role') !== 'radiogroup') {
    wrap.setAttribute('role', 'radiogroup');
    wrap.setAttribute('aria-label', 'Language / 语言');
  }
  wrap.querySelectorAll('input[type=radio]').forEach(input => {
    if (input.name !== 'rbr-language') input.name = 'rbr-language';
  });
  return true;
}

// The radio group's arrows, as a click on the next language (what Gradio's radio listens to).
function language(e) {
  const all = [...document.querySelectorAll('#language input[type=radio]')], i = all.indexOf(e.target);
  const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[e.key];
  if (i < 0 || !step) return;
  e.preventDefault();
  const next = all[(i + step + all.length) % all.length];
  next.click();
  next.focus();
}

document.addEventListener('keydown', e => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.target.closest?.('#language')) return language(e);
  const tab = e.target.closest?.('[role=tablist] > [role=tab]');
  if (!tab) return;
  const all = tabs().filter(t => t.getAttribute('aria-disabled') !== 'true'), i = all.indexOf(tab);
  const to = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1}[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const next = all[(to + all.length) % all.length];
  next.click();
  next.focus();
  requestAnimationFrame(roving);
});
document.addEventListener('click', e => {
  if (e.target.closest?.('[role=tablist]')) requestAnimationFrame(roving);
});

// Whenever Gradio draws the header and the tabs (the page's first frames; again after a language switch redraws
// them): told by the page's own changes, at most once a frame; a group already set is left as it is.
let queued = false;
function apply() {
  queued = false;
  if (languageGroup() && tabs().length) roving();
}
new MutationObserver(() => {
  if (!queued) (queued = true, requestAnimationFrame(apply));
}).observe(document.body, {childList: true, subtree: true});
apply();
export {roving};
