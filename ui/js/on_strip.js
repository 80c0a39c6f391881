// js_on_load of ui/canvas.py's ExampleStrip: a click on an MNIST digit starts a drawing from it on the canvas.
// The canvas's code loads after this strip's (it needs the page's library): a click before it is ready waits for it.
element.addEventListener('click', e => {
  const button = e.target.closest('.rbr-example');
  const pad = document.querySelector('#canvas .rbr-pad');
  if (!button || !pad) return;
  const start = () => pad.dispatchEvent(new CustomEvent('rbr-start', {detail: button.dataset.src}));
  if ('ready' in pad.dataset) start();
  else pad.addEventListener('rbr-ready', start, {once: true});
});
