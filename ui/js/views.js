// What the page's views share (ui/live.py's views, ui/run_view.py's): each draws itself again when its width changes
// (its tab shown, a phone turned), and once now.
(R => {
  function onWidth(element, draw) {
    let width = 0;
    new ResizeObserver(() => {
      if (element.clientWidth !== width) (width = element.clientWidth, draw());
    }).observe(element);
    draw();
  }

  R.views = {onWidth};
})(window.RowByRow = window.RowByRow || {});
