// What the page's views share (ui/live.py's views, ui/run_view.py's): each draws itself again when its width changes
// (its tab shown, a phone turned), and once now.
import {escape as esc} from './texts.js';

function onWidth(element, draw) {
  let width = 0;
  new ResizeObserver(() => {
    if (element.clientWidth !== width) (width = element.clientWidth, draw());
  }).observe(element);
  draw();
}

// A picture's numbers as text a screen reader walks: a <details> in `box` (kept, so its open state survives a
// redraw) holding a table per entry of `tables` [{caption, head: [column names], rows: [[row header, ...cells]]}].
function numbers(box, summary, tables) {
  let details = box.querySelector(':scope > details.rbr-numbers');
  if (!details) {
    details = document.createElement('details');
    details.className = 'rbr-numbers';
    // The tables scroll in a box of their own, reached with Tab to scroll from the keyboard.
    details.innerHTML = '<summary></summary><div tabindex="0" role="region"></div>';
    box.append(details);
  }
  details.hidden = !tables.length;
  details.querySelector('summary').textContent = summary;
  details.querySelector('div').setAttribute('aria-label', summary);
  if (!details.open) return;  // filled when opened (below): a closed one costs nothing while the pen moves
  details.querySelector('div').innerHTML = tables.map(t => `<table><caption>${esc(t.caption)}</caption><thead><tr>` +
    t.head.map(h => `<th scope="col">${esc(h)}</th>`).join('') + '</tr></thead><tbody>' +
    t.rows.map(r => `<tr><th scope="row">${esc(r[0])}</th>` + r.slice(1).map(v => `<td>${esc(v)}</td>`).join('') +
               '</tr>').join('') + '</tbody></table>').join('');
}
// A <details> opened is filled by its view's next drawing: each view calls `numbers` again when told.
function onOpen(box, draw) {
  box.addEventListener('toggle', e => { if (e.target.open) draw(); }, true);
}

// A view's `$`: the first element under its root that a selector names.
const finder = root => selector => root.querySelector(selector);

// The first element `selector` names, now or once the page draws it (Gradio draws its tabs and views in turn).
function whenFound(selector) {
  return new Promise(resolve => {
    const now = document.querySelector(selector);
    if (now) return resolve(now);
    const seen = new MutationObserver(() => {
      const el = document.querySelector(selector);
      if (el) (seen.disconnect(), resolve(el));
    });
    seen.observe(document.body, {childList: true, subtree: true});
  });
}

// The element `selector` names once it shows (drawn, its tab open: it has a box on the page).
function whenShown(selector) {
  return whenFound(selector).then(el => new Promise(resolve => {
    if (el.offsetParent) return resolve(el);
    const seen = new ResizeObserver(() => {
      if (el.offsetParent) (seen.disconnect(), resolve(el));
    });
    seen.observe(el);
  }));
}

// The elem_id Python gave a view (it is on Gradio's block around the view's element): the name the view shows its
// numbers under (reader.show) for what reads them besides it.
const idOf = element => element.closest('.block')?.id || null;

// Numbers the server sent packed (ui/run_view.py's pack: float32 in base64) as a Float32Array.
const unpack = s => new Float32Array(Uint8Array.from(atob(s || ''), ch => ch.charCodeAt(0)).buffer);

export {onWidth, numbers, onOpen, finder, whenFound, whenShown, idOf, unpack};
