"""The page's first paint in the visitor's language: the page (and its config) is served in the language the
request asks for — `?lang=zh` in the address, else the browser's Accept-Language — so a Chinese browser sees Chinese
from the first frame, not English until an event round trip has switched it."""
import asyncio
import contextvars
from collections import OrderedDict

from starlette.types import ASGIApp, Receive, Scope, Send

import gradio_compat
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


class PageCache:
    """ASGI middleware, inside Language: the page (GET /) kept once it has been served, per language and per the way
    it was asked for (the address as the proxy saw it, the query), and served again from memory. Gradio copies and
    serialises the whole config for every load of the page (about 200 ms of CPU here), which a crowd arriving at
    once would wait on in turn; the page is the same for every visitor who asks for it alike (each page makes its
    own session), and nothing in it is per visitor. At most `pages` kept, the least recently served dropped."""

    ADDRESS = (b"host", b"x-forwarded-host", b"x-forwarded-proto", b"x-forwarded-port", b"x-forwarded-prefix")

    def __init__(self, app: ASGIApp, pages: int = 32):
        self.app, self.most, self.pages, self.rendering = app, pages, OrderedDict(), {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        key = (REQUESTED.get(), scope.get("query_string", b""), scope.get("root_path", ""),
               *(headers.get(h) for h in self.ADDRESS))
        if key in self.rendering:  # a crowd asking at once: one renders, the others wait for it
            await self.rendering[key].wait()
        if key in self.pages:
            self.pages.move_to_end(key)
            for message in self.pages[key]:
                await send(message)
            return
        sent, self.rendering[key] = [], asyncio.Event()

        async def keep(message):
            sent.append(message)
            await send(message)

        try:
            await self.app(scope, receive, keep)
        finally:
            self.rendering.pop(key).set()
        start = sent[0] if sent else {}
        if start.get("status") == 200 and not any(k.lower() == b"set-cookie" for k, _ in start.get("headers", [])):
            self.pages[key] = sent
            while len(self.pages) > self.most:
                self.pages.popitem(last=False)


class Page(gradio_compat.ConfigPerRequest):
    """The app's Blocks: its config, the page's first paint, in the requested language. `translate(lang)` gives a
    language's config from the English one (every translated component's texts, the language switch's value,
    the page title); Gradio builds the config again at launch, and each language's copy is redone from it."""

    def __init__(self, translate, **kwargs):
        self.translate, self.translations = translate, {"en": None}
        super().__init__(**kwargs)

    def served_config(self, english: dict | None) -> dict | None:
        """The config in the requested language, translated once per config that Gradio builds."""
        if english is not self.translations["en"]:
            self.translations = {"en": english}
        lang = REQUESTED.get()
        if english is not None and lang not in self.translations:
            self.translations[lang] = self.translate(english, lang)
        return self.translations.get(lang, english)
