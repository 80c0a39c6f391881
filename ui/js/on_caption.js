// js_on_load of ui/live.py's Caption: words the page writes from text keys and numbers (props.lines, from a
// handler; props.texts, the templates in the page's language), so a language switch rewrites them here.
const R = window.RowByRow;
function show() {
  element.querySelector('.rbr-words').innerHTML = R.texts.html(R.texts.caption(props.texts, props.lines));
}
watch(['lines', 'texts'], show);
show();
