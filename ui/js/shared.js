// What the page's code shares with Python, from Python (ui/live.py's HEAD): the manifest (manifest(): MNIST's recipe
// for the 28x28, the digits' colours; versioned by its content) and the panels (panels(): each internal's title,
// range and colour table), as JSON in the page's <head>, #rbr-shared, read once here.
const shared = JSON.parse(document.getElementById('rbr-shared').textContent);

export const manifest = shared.manifest;
export const panels = shared.panels.panels;
// Each colour table once, 256 RGB as bytes (sent as hex).
export const luts = shared.panels.luts.map(hex => Uint8Array.from(hex.match(/../g), h => parseInt(h, 16)));
