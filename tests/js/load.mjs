// The page's library files (ui/js, classic scripts that add to window.RowByRow) loaded into Node, and the vectors
// Python wrote for them (tests/test_node.py sets VECTORS to their folder).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

const JS = new URL('../../ui/js/', import.meta.url);

export function library(...names) {
  const window = {};
  for (const name of names) new Function('window', readFileSync(new URL(name, JS), 'utf8'))(window);
  return window.RowByRow;
}

export function vectors(name) {
  if (!process.env.VECTORS) throw new Error('run through pytest tests/test_node.py: it writes the vectors');
  return JSON.parse(readFileSync(join(process.env.VECTORS, name), 'utf8'));
}
