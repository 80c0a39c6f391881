// The page's one store: what its views share, and the only code that changes it. The current drawing (its 28x28),
// the models the page can read with, which model each view reads with, and each model's trace of the drawing,
// computed once per drawing and model. Views subscribe with `on` and read `state`, which they cannot write: every
// change goes through a function here (`drawing`, `choose`, `models`, `taught`, `show`), which tells every subscriber. The
// pen calls `drawing` on every change, so a view repaints in the same frame as the stroke.
import {mnist28} from './mnist28.js';
import * as cells from './cells.js';

const views = new Set();
// loading: key -> 'loading', or why the model could not be loaded
// choice: view -> the model key it reads with (the Draw tab's and How it works' choices are their own; each view
// starts from its `choice` prop, which the server sets)
const own = {items: [], x: null, settled: true, version: 0, specs: {}, models: {}, loading: {},
             choice: {draw: null, inside: null}};
let traces = new Map();  // model key -> trace of the current drawing

// The store as views see it: every plain object in it read-only (a write throws, naming what it tried to change);
// the numbers (typed arrays) as they are.
const proxies = new WeakMap();
function readOnly(target, path) {
  if (!proxies.has(target)) {
    const refuse = (_, key) => {
      throw new TypeError(`${path}.${String(key)}: the shared state changes only through reader.js's functions`);
    };
    proxies.set(target, new Proxy(target, {
      get(t, key) {
        const v = t[key];
        return v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype
          ? readOnly(v, `${path}.${String(key)}`) : v;
      },
      set: refuse, deleteProperty: refuse, defineProperty: refuse, setPrototypeOf: refuse,
    }));
  }
  return proxies.get(target);
}
const state = readOnly(own, 'state');

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
// and only while it shows: a view whose tab is hidden draws itself when its width comes back (views.js's onWidth).
function on(view, element = null) {
  if (element) later.set(view, element);
  else views.add(view);
  view(state);
}

// The first state for which test(state) holds: now, or at the change that makes it so.
function until(test) {
  return new Promise(resolve => {
    if (test(state)) return resolve(state);
    const check = s => {
      if (!test(s)) return;
      views.delete(check);
      resolve(s);
    };
    views.add(check);
  });
}

function drawing(items, settled) {
  own.items = items;
  own.x = mnist28(items);
  own.settled = settled;
  own.version++;
  traces = new Map();
  notify();
}

// The model `view` ('draw', 'inside') reads with; `unset`: only if it has none yet.
function choose(view, key, {unset = false} = {}) {
  if (unset && own.choice[view] !== null && own.choice[view] !== undefined) return;
  own.choice[view] = key;
  notify();
}

// The models' specs (key -> {name, module, gates, hidden, ..., url | b64}): the Draw tab's, from the server
// (`models`), and the session's taught model (`taught`, from the teach panel's value), read as one more. Each is
// loaded the first time a view reads with it.
let served = {}, taughtSpec = null;
function update() {
  const specs = {...served, ...(taughtSpec ? {taught: taughtSpec} : {})};
  for (const key of new Set([...Object.keys(own.specs), ...Object.keys(specs)])) {
    if (JSON.stringify(own.specs[key]) === JSON.stringify(specs[key])) {
      if (key in specs) specs[key] = own.specs[key];  // the same spec: a load under way is kept
    } else {
      delete own.models[key];
      delete own.loading[key];
      traces.delete(key);
    }
  }
  own.specs = specs;
  notify();
}
function models(specs) { served = specs || {}; update(); }
function taught(spec) { taughtSpec = spec || null; update(); }

// The model for `key`, or null while it loads (views are told again once it has).
function model(key) {
  const spec = own.specs[key];
  if (!spec) return null;
  if (own.models[key]) return own.models[key];
  if (!(key in own.loading)) {
    own.loading[key] = 'loading';
    cells.load(spec).then(m => {
      if (own.specs[key] !== spec) return;
      own.models[key] = m;
      delete own.loading[key];
      notify();
    }, e => {
      if (own.specs[key] === spec) own.loading[key] = String(e);
      notify();
    });
  }
  return null;
}

// The trace of the current drawing by model `key`: null while nothing is drawn or the model loads.
function trace(key) {
  const m = model(key);
  if (!m || !own.x) return null;
  if (!traces.has(key)) traces.set(key, cells.trace(m, own.x));
  return traces.get(key);
}

// The numbers a view fed by the server shows now, by its elem_id (views.js's idOf: How it works' charts, the Train
// tab's probe), for what reads them besides that view (the lesson checks its answers against them): set only
// here, by the view itself; `onShow` subscribers are told of each change.
const showing = {}, watchers = new Set();
function show(name, numbers) {
  if (showing[name] === numbers) return;
  showing[name] = numbers;
  for (const f of watchers) f(name, numbers);
}
function onShow(f) { watchers.add(f); }
const shown = name => showing[name];

export {on, until, drawing, choose, models, taught, model, trace, state, show, onShow, shown};
