// The page's keyboard where Gradio's own markup falls short (issue 32): the language switch is one group (one Tab
// stop, arrow keys choose; Gradio 6.31 names each of its radios apart, so each was a stop of its own), and the tabs
// are one Tab stop whose arrow keys, Home and End move between them and open them (the ARIA tabs pattern; Gradio's
// tabs are a stop each and ignore arrows). Only attributes and listeners: Gradio draws the same elements.
(R => {
  const tabs = () => [...document.querySelectorAll('[role=tablist] > [role=tab]')];

  function roving() {  // the selected tab is the group's Tab stop, the others are reached with arrows
    for (const tab of tabs()) tab.tabIndex = tab.getAttribute('aria-selected') === 'true' ? 0 : -1;
  }

  function languageGroup() {
    const wrap = document.querySelector('#language input[type=radio]')?.closest('label')?.parentElement;
    if (!wrap) return false;
    wrap.setAttribute('role', 'radiogroup');
    wrap.setAttribute('aria-label', 'Language / 语言');
    wrap.querySelectorAll('input[type=radio]').forEach(input => { input.name = 'rbr-language'; });
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

  // Once Gradio has drawn the header and the tabs (the page's first frames), and again after a language switch
  // redraws them.
  function init(tries = 0) {
    if (languageGroup() && tabs().length) roving();
    else if (tries < 400) setTimeout(() => init(tries + 1), 50);
  }
  document.addEventListener('change', e => {
    if (e.target.closest?.('#language')) setTimeout(() => { languageGroup(); roving(); }, 300);
  });
  init();
  R.keys = {roving};
})(window.RowByRow = window.RowByRow || {});
