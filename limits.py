"""What one visitor can make the server hold: requests refused before they are read, and a disk that empties itself.

- A request body over MAX_BODY_BYTES (MAX_UPLOAD_BYTES for file uploads) is answered 413 before the app reads it:
  by its Content-Length, or, sent without one, by the bytes counted as they arrive. A URL over MAX_URL characters is
  answered 414. (RequestLimits, an ASGI middleware in front of every route.)
- What one visitor may have waiting in the queue is admission.py's (the door in front of Gradio's routes).
- Every file the app writes (pictures, uploads, trained models) lives in Gradio's upload folder, and sweep() deletes
  what is older than CACHE_MAX_AGE_S, then the oldest files until the rest fit in CACHE_MAX_BYTES and
  CACHE_MAX_FILES, every SWEEP_EVERY_S seconds (start_sweeper()).
Each limit can be set from the environment (ROWBYROW_<NAME>).
"""
import io
import ipaddress
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path

import anyio
from starlette.middleware import Middleware

import gradio_compat
from texts import language, text


def _env(name: str, default: float) -> float:
    return float(os.environ.get(f"ROWBYROW_{name}", default))


MB = 1024 * 1024
MAX_BODY_BYTES = int(_env("MAX_BODY_BYTES", 1 * MB))  # an event's JSON: a few hundred bytes from the page
MAX_UPLOAD_BYTES = int(_env("MAX_UPLOAD_BYTES", 6 * MB))  # a file upload: launch's max_file_size (5 MB) and the form
MAX_URL = int(_env("MAX_URL", 8192))  # characters of path and query; a share link is about 560
CACHE_MAX_AGE_S = _env("CACHE_MAX_AGE_S", 3600)  # long enough to download a picture or a trained model
CACHE_MAX_BYTES = int(_env("CACHE_MAX_BYTES", 512 * MB))
CACHE_MAX_FILES = int(_env("CACHE_MAX_FILES", 20_000))  # inodes: many small files fill a disk's table first
SWEEP_EVERY_S = _env("SWEEP_EVERY_S", 60)
MAX_LOG_LINE = int(_env("MAX_LOG_LINE", 2000))  # characters of one line of the server's log


# ---- requests ----------------------------------------------------------------------------------------------------

def client_address(request) -> str | None:
    """The address a visitor's requests come from: the peer's own when it is public; behind a proxy (a private
    peer, as on a Hugging Face Space) the right-most public address in X-Forwarded-For, the one the proxy saw (those
    to its left are whatever the client wrote); None when unknown (a local visitor)."""
    hops = [request.client.host if request.client else ""]
    if not _public(hops[0]):
        hops = [h.strip() for h in (request.headers.get("x-forwarded-for") or "").split(",")][::-1]
    return next((h for h in hops if _public(h)), None)


def _public(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


class RequestLimits:
    """ASGI middleware: refuses a body over its limit (413) before the app reads a byte of it, and a long URL (414);
    the refusal in the language of the request's Accept-Language."""

    def __init__(self, app, max_body: int = MAX_BODY_BYTES, max_upload: int = MAX_UPLOAD_BYTES, max_url: int = MAX_URL):
        self.app, self.max_body, self.max_upload, self.max_url = app, max_body, max_upload, max_url

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])  # lower-case byte names
        lang = language(headers.get(b"accept-language", b"").decode("latin-1"))
        if len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"]) > self.max_url:
            return await refuse(send, 414, text("url_too_long", lang, n=self.max_url))
        upload = scope["path"].rstrip("/").endswith("/upload")
        limit = self.max_upload if upload else self.max_body
        too_large = text("too_large", lang, mb=round(limit / MB, 1))
        if b"content-length" in headers:  # the server delivers no more than this
            length = headers[b"content-length"]
            if not length.isdigit() or int(length) > limit:
                return await refuse(send, 413, too_large)
            size = int(length)
        elif b"transfer-encoding" not in headers:  # no body
            return await self.app(scope, receive, send)
        else:
            body = await read_body(receive, limit)  # chunked: read it here, counting, and hand it on whole
            if body is None:
                return
            if len(body) > limit:
                return await refuse(send, 413, too_large)
            receive, size = replay(body, receive), len(body)
        if not upload:
            return await self.app(scope, receive, send)
        await anyio.to_thread.run_sync(ROOM.make, size)  # the folder stays within its cap as the upload is written
        try:
            return await self.app(scope, receive, send)
        finally:
            ROOM.written(size)


async def read_body(receive, limit: float = float("inf")) -> bytearray | None:
    """A request's whole body, or None if the client left first; reading stops once it is past `limit`."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) > limit or not message.get("more_body"):
            return body


def replay(body: bytes, receive):
    """An ASGI receive that hands on a body already read, whole, then what comes after it (a disconnect)."""
    replayed = False

    async def replay():
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": bytes(body), "more_body": False}
    return replay


async def refuse(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class ShortLines(io.TextIOBase):
    """A log stream that keeps each line within `max_chars`: what a visitor sent (a value quoted in an error's
    message, as Gradio's own checks do) is never copied into the log in full."""

    def __init__(self, stream, max_chars: int = MAX_LOG_LINE):
        self.stream, self.max_chars = stream, max_chars

    def write(self, s: str) -> int:
        lines = s.split("\n")
        self.stream.write("\n".join(line if len(line) <= self.max_chars else
                                    f"{line[:self.max_chars]}… ({len(line):,} characters)" for line in lines))
        return len(s)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


def short_logs() -> None:
    """The server's output and errors through ShortLines, before anything logs."""
    sys.stdout, sys.stderr = ShortLines(sys.stdout), ShortLines(sys.stderr)


def middleware() -> list[Middleware]:
    """For launch(app_kwargs={"middleware": ...}): Gradio passes it to its FastAPI app, in front of every route."""
    return [Middleware(RequestLimits)]


# ---- disk --------------------------------------------------------------------------------------------------------

def cache_folder() -> Path:
    """Gradio's upload folder, where every file the app writes lives (and is served from)."""
    folder = gradio_compat.upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep(folder: Path, max_age_s: float = CACHE_MAX_AGE_S, max_bytes: int = CACHE_MAX_BYTES,
          max_files: int = CACHE_MAX_FILES) -> tuple[int, int, int]:
    """Delete the files under `folder` older than max_age_s, then the oldest until the rest fit in max_bytes and
    max_files, then the folders left empty; returns (files deleted, files kept, bytes kept)."""
    files = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                st = os.lstat(path)
            except FileNotFoundError:  # deleted meanwhile
                continue
            files.append((st.st_mtime, st.st_size, path))
    files.sort()  # oldest first
    now, kept, total, deleted = time.time(), len(files), sum(f[1] for f in files), 0
    for mtime, size, path in files:
        if now - mtime <= max_age_s and total <= max_bytes and kept <= max_files:
            break  # this one and all after it are young enough and fit
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        kept, total, deleted = kept - 1, total - size, deleted + 1
    for root, _, _ in os.walk(folder, topdown=False):  # deepest first
        try:
            if root != str(folder) and now - os.lstat(root).st_mtime > 60:  # a newer one may be about to be used
                os.rmdir(root)
        except OSError:  # not empty, or gone
            pass
    return deleted, kept, total


class Room:
    """The cache folder's bytes, counted as uploads arrive, so that it stays within `max_bytes` between sweeps: an
    upload that would take it past sweeps first (the oldest files go), counting the uploads still being written."""

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES):
        self.max_bytes, self.lock = max_bytes, threading.Lock()
        self.total: int | None = None  # bytes on disk at the last sweep, plus uploads written since
        self.writing = 0  # bytes of uploads let in and not written yet

    def make(self, size: int) -> None:
        """Room for an upload of `size` bytes about to be written."""
        with self.lock:
            if self.total is None or self.total + self.writing + size > self.max_bytes:
                self.total = sweep(cache_folder(), max_bytes=max(0, self.max_bytes - self.writing - size))[2]
            self.writing += size

    def written(self, size: int) -> None:
        with self.lock:
            self.writing -= size
            self.total = (self.total or 0) + size

    def sweep(self) -> None:
        """The periodic sweep, which also counts the folder afresh (what else the app wrote since)."""
        with self.lock:
            self.total = sweep(cache_folder(), max_bytes=max(0, self.max_bytes - self.writing))[2]


ROOM = Room()


def start_sweeper(every_s: float = SWEEP_EVERY_S) -> threading.Thread:
    """Sweep Gradio's upload folder now and then every `every_s` seconds, on a thread of its own."""
    def loop():
        while True:
            try:
                ROOM.sweep()
            except Exception:  # a sweep that fails must not stop the next one
                logging.exception("cache sweep failed")
            time.sleep(every_s)

    thread = threading.Thread(target=loop, name="cache-sweep", daemon=True)
    thread.start()
    return thread
