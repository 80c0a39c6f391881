"""Row by Row: draw a digit and watch a recurrent network read it one pixel row at a time, or train one.

Each tab lives in ui/ and builds its own components and listeners: ui/draw.py, ui/inside.py, ui/training.py.
This file holds what they share (the shipped models, the session's own model, the language switch) and launch.
To add a tab: write ui/<name>.py with a build(...) like theirs, open a gr.Tab for it below, and add its texts
(both languages) to texts.py.
"""
import gradio as gr
import torch
from starlette.middleware import Middleware

import admission
import checkpoint
import gradio_compat
import limits
import training_run
from texts import LANGUAGES, text
from ui import api, draw, first_paint, inside, lesson, live, tools, training
from ui.common import T, Readers, Texts
from ui.first_paint import Page


CSS = """
.reading img { image-rendering: pixelated; }
.experiment-note { font-size: 0.9em; color: var(--body-text-color-subdued); }
#header { align-items: center; }
/* A heading's block: its bold line is a pixel taller than the block Gradio gives it, which then scrolls (and a
   scrolling region must take the keyboard's focus); a heading never needs to scroll. */
.heading { overflow: visible !important; }
#footer { text-align: center; margin-top: 16px; }
#footer p { font-size: 0.9em; color: var(--body-text-color-subdued); }
#header h1 { margin: 0; }
/* While the pen is down (ui/js/pen.js) the page does not scroll under it: the browser's scroll anchoring moved the
   canvas when the first ink brought back the views below it (scrolled down, after Clear: the stroke broke in two). */
html.rbr-pen-down { overflow-anchor: none; }
/* A radio group's keyboard focus shows (the language switch, the models): Gradio's and ours hide the input itself. */
#language label:has(input:focus-visible), .rbr-choice label:has(input:focus-visible) {
  outline: 3px solid #2563eb; outline-offset: 2px; }
@media (max-width: 640px) {
  /* A phone: the canvas and the answer first, on one screen. */
  #header .subtitle { display: none; }
  #header h1 { font-size: 1.5em; }
  #header { flex-wrap: nowrap; gap: 4px; }
  #language label { padding: 4px 8px; white-space: nowrap; }
  #language .wrap { flex-wrap: nowrap; gap: 4px; }  /* both languages on the title's line, in full */
  #header > div { min-width: 0 !important; }
  #header > #language { flex: 0 0 auto !important; width: auto !important; }
  #canvas .html-container { padding: 0 !important; }
  /* After drawing, the answer and "Not a 7? It's:" on the first screen, above the caption, the model choice and
     Share: the wrappers of the reading panel and the teaching panel step aside (display: contents), so their parts
     are items of one column and take the order below. A browser test measures it on a phone. */
  #draw-row .column:has(> #reading-panel) { gap: 8px; }
  #reading-panel, #reading-panel > div, #reading-panel > div > div, #reading-panel .rbr-reading,
  #teach, #teach > div, #teach > div > div, #teach .rbr-teach { display: contents; }
  #draw-row .rbr-reading > *, #draw-row .rbr-teach > * { order: 3; margin-top: 0; margin-bottom: 0; }
  #draw-row .rbr-prediction { order: 1; }
  #draw-row .rbr-teach-bar, #draw-row .rbr-teach-status { order: 2; }
  #draw-row .rbr-teach-status:empty { display: none; }
  #draw-row .rbr-teach-panel { order: 4; }
  /* The answer in one band: the label and the top digit on the left, the three bars beside them. */
  #draw-row .rbr-bars { display: grid; grid-template-columns: auto 1fr; column-gap: 16px; align-items: center; }
  #draw-row .rbr-top { grid-row: 1 / span 3; }
  #draw-row .rbr-bar { margin: 1px 0; }
  /* The row-aligned pictures at their own size, scrolled sideways, instead of shrunk to a strip. */
  .reading .image-container, .reading .image-frame { overflow-x: auto; justify-content: flex-start; }
  .reading img { max-width: none !important; width: auto !important; height: 100% !important; }
}
""" + training.CSS + live.LineChart.PAGE_CSS

# Gradio's default theme, with every text at 4.5:1 contrast or more (its subdued grey and its orange and red buttons
# fall short): a darker grey, and buttons in the darker shades of their colours.
# Its typeface, Source Sans Pro, at 400 and 700 only: Gradio ships its 600 as a 5 KB subset that lacks most glyphs,
# so a bold heading mixed two typefaces, glyph by glyph. A 600 now takes the full 700 face.
THEME = gr.themes.Default(primary_hue="blue", font=(gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)),
                                                    "ui-sans-serif", "system-ui", "sans-serif")).set(
    body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_300", color_accent="*primary_700",
    button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
    button_cancel_background_fill="#b91c1c", button_cancel_background_fill_hover="#991b1b")

# Outside the app's scope (launch's css is scoped inside the page's content): the page's own side padding.
# Gradio's footer hidden (its words follow the browser's language, not the switch; the app's own footer, in the page's
# language, links the same API page, which footer_links=["api"] keeps open).
HEAD = "<style>@media (max-width: 640px) { .gradio-container .app { padding-left: 8px; padding-right: 8px; } }" \
    " footer { display: none !important; }</style>" + \
    live.HEAD


def build(readers: Readers) -> tuple[gr.Blocks, Texts]:
    """The whole app (a header with the language switch, then one tab per room) and its translated components."""
    texts = Texts()

    def in_language(config: dict, lang: str) -> dict:
        """The page's config in `lang`: its texts, the language switch set to it, the page title."""
        config = texts.translate(config, lang)
        next(c for c in config["components"] if c["id"] == gradio_compat.component_id(lang_switch))["props"]["value"] = lang
        return {**config, "title": text("page_title", lang)}

    with Page(in_language, title=text("page_title")) as demo:
        mine = gr.State(None)  # {"model", "acc"}: this session's own model, once it chose to read with it
        with gr.Row(equal_height=True, elem_id="header"):
            with gr.Column(scale=5, min_width=190):
                texts(gr.Markdown, T("title"))
            lang = lang_switch = gr.Radio([(v, k) for k, v in LANGUAGES.items()], value="en", label="Language / 语言",
                                          show_label=False, container=False, elem_id="language", scale=1,
                                          min_width=150)
        with gr.Tabs() as tabs:
            with texts(gr.Tab, T("tab_draw"), id="draw", elem_id="draw-tab"):
                drawn = draw.build(readers, texts, mine)
            with texts(gr.Tab, T("tab_inside"), id="inside", elem_id="inside-tab") as inside_tab:
                inside.build(readers, texts, lang, drawn, inside_tab)
            with texts(gr.Tab, T("tab_train"), id="train", elem_id="train-tab") as train_tab:
                training.build(readers, texts, lang, mine, drawn, tabs, train_tab)
        # The guided lesson: docked over every tab while it runs; its start button joins the Draw tab's answer.
        texts(live.LessonView, texts={k: T(k) for k in lesson.texts_used()}, elem_id="lesson")
        # Gradio's own footer speaks the browser's language and cannot follow the switch: this one does.
        texts(gr.Markdown, T("footer"), elem_id="footer")
        api.build(readers, lang, mine)
        tools.build(readers)
        lang.change(texts.updates, lang, texts.outputs, api_visibility="private", show_progress="hidden", queue=False)
    return demo, texts


def create_app(readers: Readers | None = None) -> tuple[gr.Blocks, Texts]:
    """The app and its translated components, from the shipped models (or `readers`). Nothing is loaded, built or
    started when this module is imported."""
    # The page fetches the shipped weights as they are (ui/live.py's weights_url) to read drawings in the browser.
    gr.set_static_paths([checkpoint.WEIGHTS_DIR])
    return build(readers or Readers.load())


def launch(demo: gr.Blocks) -> None:
    """Serve the app as a Space does.

    Caps on what one visitor can send, queue or leave on disk: uploads of 5 MB, other bodies of 1 MB and URLs of
    8 KB refused before they are read, and a cache swept by age and size, uploads counted as they arrive
    (limits.py); each visitor's share of the queue, its new sessions and its place in the training line admitted
    at the door, before Gradio queues anything (admission.Door), so the queue's 256 places are never one
    visitor's; the sessions Gradio keeps bounded (the least recent go); and no way around the queue
    (api_open=False: /run/ routes are closed to queued events, as on a Space). Errors other than the app's own
    say only "Error". The page is served in the visitor's language from its first paint, and rendered once per
    language (first_paint.py)."""
    # With two intra-op threads a training step ran 4x slower than with one on a 2-vCPU machine (BENCHMARKS.md):
    # this model's ops are too small to split, and concurrent requests and training use the cores instead.
    torch.set_num_threads(1)
    limits.short_logs()
    limits.start_sweeper()
    training_run.WORKERS.warm()  # a training process ready, so that the first run does not wait for one to start
    door = Middleware(admission.Door, blocks=demo, training=training.TRAINING_QUEUE, train_fns=training.events(demo),
                      train_expected_s=training.expected_press_s)
    demo.queue(max_size=256, api_open=False).launch(
        css=CSS, head=HEAD, theme=THEME, max_file_size="5mb", show_error=False, footer_links=["api"], mcp_server=True,
        state_session_capacity=admission.SESSIONS_KEPT,
        app_kwargs={"middleware": [*limits.middleware(), door, Middleware(first_paint.Language),
                                   Middleware(first_paint.PageCache), Middleware(live.Library)]})


if __name__ == "__main__":
    launch(create_app()[0])
