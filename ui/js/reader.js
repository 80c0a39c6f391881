// What the page's views share: the current drawing (its 28x28), the models the page can read with, and each
// model's trace of the drawing, computed once per drawing and model. Views subscribe with `on`; the pen calls
// `drawing` on every change, so a view repaints in the same frame as the stroke.
(R => {
  const views = new Set();
  // loading: key -> 'loading', or why the model could not be loaded
  // choice: view -> the model key it reads with (the Draw tab's and How it works' choices are their own; each view
  // starts from its `choice` prop, which the server sets)
  const state = {items: [], x: null, settled: true, version: 0, specs: {}, models: {}, loading: {},
                 choice: {draw: null, inside: null}};
  let traces = new Map();  // model key -> trace of the current drawing

  const later = new Map();  // view -> its element: drawn once a frame, while it shows
  let frame = 0;

  function notify() {
    for (const view of views) view(state);
    if (later.size && !frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        for (const [view, element] of later) if (element.clientWidth) view(state);
      });
    }
  }

  // A view, drawn now and after every change. With its `element`, it is drawn in the frame's animation callbacks
  // instead (after the answer, which the pen move changes at once; the same frame on screen), at most once a frame,
  // and only while it shows: a view whose tab is hidden draws itself when its width comes back (R.views.onWidth).
  function on(view, element = null) {
    if (element) later.set(view, element);
    else views.add(view);
    view(state);
  }

  function drawing(items, settled) {
    state.items = items;
    state.x = R.mnist28(items);
    state.settled = settled;
    state.version++;
    traces = new Map();
    notify();
  }

  function choose(view, key) {
    state.choice[view] = key;
    notify();
  }

  // The models' specs (key -> {name, module, gates, hidden, ..., url | b64}): the Draw tab's, from the server
  // (`models`), and the session's taught model (`taught`, from the teach panel's value), read as one more. Each is
  // loaded the first time a view reads with it.
  let served = {}, taughtSpec = null;
  function update() {
    const specs = {...served, ...(taughtSpec ? {taught: taughtSpec} : {})};
    for (const key of new Set([...Object.keys(state.specs), ...Object.keys(specs)])) {
      if (JSON.stringify(state.specs[key]) === JSON.stringify(specs[key])) {
        if (key in specs) specs[key] = state.specs[key];  // the same spec: a load under way is kept
      } else {
        delete state.models[key];
        delete state.loading[key];
        traces.delete(key);
      }
    }
    state.specs = specs;
    notify();
  }
  function models(specs) { served = specs || {}; update(); }
  function taught(spec) { taughtSpec = spec || null; update(); }

  // The model for `key`, or null while it loads (views are told again once it has).
  function model(key) {
    const spec = state.specs[key];
    if (!spec) return null;
    if (state.models[key]) return state.models[key];
    if (!(key in state.loading)) {
      state.loading[key] = 'loading';
      R.cells.load(spec).then(m => {
        if (state.specs[key] !== spec) return;
        state.models[key] = m;
        delete state.loading[key];
        notify();
      }, e => {
        if (state.specs[key] === spec) state.loading[key] = String(e);
        notify();
      });
    }
    return null;
  }

  // The trace of the current drawing by model `key`: null while nothing is drawn or the model loads.
  function trace(key) {
    const m = model(key);
    if (!m || !state.x) return null;
    if (!traces.has(key)) traces.set(key, R.cells.trace(m, state.x));
    return traces.get(key);
  }

  // The numbers a view fed by the server shows now (How it works' charts by their element's id, the Train tab's
  // probe as 'probe'), for what reads them besides that view (the lesson checks its answers against them): set only
  // here, by the view itself; `onShow` subscribers are told of each change.
  const shown = {}, showing = new Set();
  function show(name, numbers) {
    if (shown[name] === numbers) return;
    shown[name] = numbers;
    for (const f of showing) f(name, numbers);
  }
  function onShow(f) { showing.add(f); }

  R.reader = {on, drawing, choose, models, taught, model, trace, state, show, onShow, shown: name => shown[name]};
})(window.RowByRow = window.RowByRow || {});
