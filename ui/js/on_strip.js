// js_on_load of ui/canvas.py's ExampleStrip: a click on an MNIST digit starts a drawing from it on the canvas.
element.addEventListener('click', e => {
  const button = e.target.closest('.rbr-example');
  const pad = document.querySelector('#canvas .rbr-pad');
  if (button && pad) pad.dispatchEvent(new CustomEvent('rbr-start', {detail: button.dataset.src}));
});
