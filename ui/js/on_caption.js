// js_on_load of ui/live.py's Caption: words the page writes from text keys and numbers (props.lines, from a
// handler; props.texts, the templates in the page's language), so a language switch rewrites them here.
const words = piece => typeof piece === 'object' ? R.texts.fill(props.texts, piece) : String(piece);
function show() {
  element.querySelector('.rbr-words').innerHTML = R.texts.html(R.texts.caption(props.texts, props.lines));
  const t = props.table;  // the numbers of the chart beside these words, if a handler sent them
  R.views.numbers(element.querySelector('.rbr-words-numbers'), props.texts.numbers || '',
                  t ? [{caption: words(t.caption), head: t.head.map(words), rows: t.rows}] : []);
}
watch(['lines', 'texts', 'table'], show);
R.views.onOpen(element, show);
show();
