// Every view's js_on_load (ui/live.py's on_load): Gradio runs it as the body of a function, not as a module, with
// gr.HTML's element, props, watch and trigger. The view's own code (ui/js/on_*.js, in place of the comment below)
// runs once the page's library has loaded, with R, its entry module (page.js: every part by name); every view
// imports the same address, so one copy of the library runs and all share its store. The address is put in by
// on_load.
import(new URL(LIBRARY_URL, document.baseURI).href).then(R => {
/* the view */
});
