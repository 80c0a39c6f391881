// Share links: the drawing's 28x28 in 16 grey levels (two pixels a byte, base64url: 523 characters), the model and
// the tab, in the address; opened entirely in the page, so a page load asks nothing of the server. A model that stays
// in its session (taught, trained here) cannot travel: its link names it and its cell, whose shipped model opens it.
import {manifest} from './shared.js';

const SIDE = manifest.mnist.side ** 2;  // pixels in a 28x28

// The query string of a link to digit x (784 numbers in [0, 1]) read by `model` on `tab` (`cell`: the cell of a
// model that stays in its session).
function query(x, model, tab = 'draw', cell = null) {
  const bytes = new Uint8Array(SIDE / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(x[2 * i] * 15) << 4 | Math.round(x[2 * i + 1] * 15);
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const c = cell ? `&c=${encodeURIComponent(cell)}` : '';
  return `d=${b64}&m=${encodeURIComponent(model)}&t=${encodeURIComponent(tab)}${c}`;
}

// What a link's query asks for: {x, model, tab, cell} (x null when it has no drawing), or {broken: true} when its
// drawing is not 392 bytes of base64url.
function open(search) {
  const params = new URLSearchParams(search);
  const d = params.get('d');
  if (d === null) return {x: null};
  let bytes;
  try {
    if (!/^[\w-]*$/.test(d)) throw new Error('not base64url');
    bytes = Uint8Array.from(atob(d.replace(/-/g, '+').replace(/_/g, '/')), ch => ch.charCodeAt(0));
  } catch (e) {
    return {broken: true};
  }
  if (bytes.length !== SIDE / 2) return {broken: true};
  const x = new Float32Array(SIDE);
  bytes.forEach((b, i) => { x[2 * i] = (b >> 4) / 15; x[2 * i + 1] = (b & 15) / 15; });
  return {x, model: params.get('m'), tab: params.get('t'), cell: params.get('c')};
}

export {query, open};
