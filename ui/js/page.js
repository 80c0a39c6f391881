// The page's library, the one module its views import (ui/live.py's on_load runs each view's js_on_load with this
// module as R): every part of it by name. Importing it starts the keyboard's help (keys.js). Nothing here or in any
// part writes a global: every view that imports it shares the same modules, and so one store (reader.js).
export * as texts from './texts.js';
export * as mnist28 from './mnist28.js';
export * as cells from './cells.js';
export * as reader from './reader.js';
export * as pen from './pen.js';
export * as painter from './painter.js';
export * as chart from './chart.js';
export * as link from './link.js';
export * as views from './views.js';
export * as memmap from './memmap.js';
export * as keys from './keys.js';
export * as lesson from './lesson.js';
export {manifest, panels} from './shared.js';
