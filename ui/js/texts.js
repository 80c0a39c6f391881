// Texts in the page: texts.py's templates filled in as Python's str.format fills them (the specs the page's
// templates use: {name}, {name:.0%}, {name:.3f}, {name:+.1f}, {name:,}, {name:,.0f}), and their **bold** shown.
// v to d decimals as Python rounds: to the nearest, and an exact tie to the even digit (toFixed goes up: 0.5 -> 1).
function fixed(v, d) {
  const scaled = v * 10 ** d, floor = Math.floor(scaled);
  if (scaled - floor !== 0.5 || !Number.isFinite(scaled)) return v.toFixed(d);
  return ((floor % 2 === 0 ? floor : floor + 1) / 10 ** d).toFixed(d);
}

function number(v, spec) {
  const [, sign, group, precision, type] = /^([+-]?)(,?)(?:\.(\d+))?([fd%]?)$/.exec(spec) || [];
  if (type === undefined) throw new Error(`format spec ${spec} is not supported`);
  const d = precision === undefined ? 6 : +precision;
  let s = type === '%' ? fixed(v * 100, d) : precision !== undefined || type === 'f' ? fixed(v, d) : String(v);
  if (group) s = s.replace(/^(-?\d+)/, d => d.replace(/\B(?=(\d{3})+$)/g, ','));
  if (sign === '+' && v >= 0) s = '+' + s;
  return s + (type === '%' ? '%' : '');
}

// `template` with {name[:spec]} filled from `values`; {{ and }} stand for braces.
function format(template, values) {
  return template.replace(/\{\{|\}\}|\{(\w+)(?::([^}]*))?\}/g, (m, name, spec) => {
    if (!name) return m[0];
    if (!(name in values)) throw new Error(`no value for {${name}}`);
    return spec ? number(values[name], spec) : String(values[name]);
  });
}

// Text as HTML's text: every character that could open markup written as a character reference.
const escape = v => String(v).replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`);

// A caption as HTML: markdown's **bold**, *italics*, paragraphs and "- " lists, nothing else.
function html(markdown) {
  const inline = t => escape(t).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/\*(.+?)\*/g, '<em>$1</em>');
  return markdown.split(/\n\s*\n/).map(p => {
    const lines = p.split('\n');
    return lines.every(l => l.startsWith('- ')) ? `<ul>${lines.map(l => `<li>${inline(l.slice(2))}</li>`).join('')}</ul>`
                                                : `<p>${inline(p)}</p>`;
  }).join('');
}

// Words from text keys: a piece is {key, values}, a value may be a piece itself; a caption is paragraphs, each a
// piece or a list of pieces on lines of their own (ui/common.py's `say` makes them, `spoken` is the same in Python).
function fill(templates, piece) {
  const values = Object.fromEntries(Object.entries(piece.values || {}).map(
    ([k, v]) => [k, v && typeof v === 'object' ? fill(templates, v) : v]));
  return format(templates[piece.key], values);
}
const caption = (templates, lines) => (lines || []).map(
  p => Array.isArray(p) ? p.map(piece => fill(templates, piece)).join('\n') : fill(templates, p)).join('\n\n');

// A fall of a probability `d` (0.012: 1.2 points lower) as "which rows decided it" writes it: a fall with −, a rise
// with +, and no sign where it shows as 0.0 (not "−0.0").
function fall(d) {
  const v = fixed(Math.abs(d * 100), 1);
  return +v === 0 ? v : `${d > 0 ? '−' : '+'}${v}`;
}

export {format, html, fill, caption, escape, fall};
