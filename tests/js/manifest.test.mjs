// No rule the page shares with Python is written in the page: every number and colour of the manifest Python emits
// (ui/live.py's manifest) is absent from the page's code as a literal; the page reads them from the manifest.
import test from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {vectors} from './load.mjs';

const JS = new URL('../../ui/js/', import.meta.url);
const code = readdirSync(JS).filter(f => f.endsWith('.js')).map(f => [f, readFileSync(new URL(f, JS), 'utf8')]);
const leaves = v => typeof v === 'object' && v !== null ? Object.values(v).flatMap(leaves) : [v];

test("the manifest's numbers and colours are not written in the page's code", () => {
  const manifest = vectors('manifest.json');
  const shared = leaves({...manifest, version: null}).filter(v => v !== null);
  assert.ok(shared.length >= 10, 'the manifest holds the shared rules');
  for (const v of shared) {
    // a colour or a fraction anywhere; a whole number where the page would define it: `const NAME = 28`
    const pattern = typeof v === 'string' ? new RegExp(`['"]${v}['"]`, 'i')
      : Number.isInteger(v) ? new RegExp(`(const|let|var)\\s+\\w+\\s*=\\s*${v}\\b`) : new RegExp(`\\b${v}\\b`);
    for (const [file, text] of code) assert.doesNotMatch(text, pattern, `${file} writes ${v} itself`);
  }
});
