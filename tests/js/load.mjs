// The vectors Python wrote for the page's modules (tests/test_node.py sets VECTORS to their folder); the tests
// import the modules themselves (ui/js, ES modules) by path.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

export function vectors(name) {
  if (!process.env.VECTORS) throw new Error('run through pytest tests/test_node.py: it writes the vectors');
  return JSON.parse(readFileSync(join(process.env.VECTORS, name), 'utf8'));
}
