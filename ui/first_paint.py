"""The page's first paint in the visitor's language: the page (and its config) is served in the language the
request asks for — `?lang=zh` in the address, else the browser's Accept-Language — so a Chinese browser sees Chinese
from the first frame, not English until an event round trip has switched it."""
import contextvars

import gradio as gr
from starlette.types import ASGIApp, Receive, Scope, Send

from texts import LANGUAGES, language

REQUESTED = contextvars.ContextVar("page_language", default="en")


class Language:
    """ASGI middleware: the language of the page a request is for (REQUESTED), while it is answered."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        query = dict(p.partition("=")[::2] for p in scope.get("query_string", b"").decode("latin-1").split("&"))
        headers = dict(scope.get("headers") or [])
        asked = query.get("lang") if query.get("lang") in LANGUAGES else language(
            headers.get(b"accept-language", b"").decode("latin-1"))
        token = REQUESTED.set(asked)
        try:
            await self.app(scope, receive, send)
        finally:
            REQUESTED.reset(token)


class Page(gr.Blocks):
    """The app's Blocks: its config, the page's first paint, in the requested language. `translate(lang)` gives a
    language's config from the English one (every translated component's texts, the language switch's value,
    the page title); Gradio sets `config` again at launch, and each language's copy is redone from it."""

    def __init__(self, translate, **kwargs):
        self.translate, self._configs = translate, {}
        super().__init__(**kwargs)

    @property
    def config(self):
        english = self._configs.get("en")
        lang = REQUESTED.get()
        if lang != "en" and english is not None and lang not in self._configs:
            self._configs[lang] = self.translate(english, lang)
        return self._configs.get(lang, english)

    @config.setter
    def config(self, value):
        self._configs = {"en": value}
