// js_on_load of ui/live.py's LineChart (How it works: how long a change is remembered, how much error signal reaches
// each row): a view's curves (props.data: {first, lines: {series: values}}) drawn by the page's chart
// (ui/js/chart.js) in the colours Python gave each series, on the axes it set (both in the template: data-spec).
// Its numbers as text are in the caption beside it (ui/inside.py's chart_table).
const {colours, axes} = JSON.parse(element.querySelector('.rbr-chart').dataset.spec);
const name = R.views.idOf(element);
function draw() {
  const t = props.texts, data = props.data;
  if (name) R.reader.show(name, data);  // what this chart shows, for the lesson to check against
  const curves = Object.entries(data?.lines || {}).map(([name, values]) => ({label: name, colour: colours[name],
    pts: values.flatMap((v, i) => [data.first + i, v ?? NaN])}));
  R.chart.lines(element.querySelector('.rbr-chart'), {...axes, title: t.title, x: t.x, y: t.y}, curves);
  R.chart.legend(element.querySelector('.rbr-legend'), t.legend,
                 Object.entries(colours).map(([name, colour]) => ({label: name, colour})));
}
watch(['data', 'texts'], draw);
R.views.onWidth(element, draw);  // drawn again when the tab shows, or a phone turns
