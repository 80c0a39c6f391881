"""Who gets into the server's queue: every event a visitor asks of the server is admitted, per visitor, at the door
(an ASGI middleware in front of Gradio's routes), or refused there and then with HTTP 429 and why, in the visitor's
language. So one script, or one busy visitor, can never fill the queue that everyone else shares.

A visitor is a browser session and a client address (limits.client_address). The rules, for every route into the
queue or the handlers (queue/join, call/<api>, call/v2/<api>, run/<api>, api/<api>, component_server):
- a session has at most `Share.per_session` events of one kind (the same event, fn) waiting or running, and an
  address at most `Share.per_address` of one concurrency group. The page never sends a second event of a kind while
  the first is pending (Gradio's trigger modes "once" and "always_last" hold it back and send the newest when the
  first is answered), so these refuse only what a script sends past its share;
- an address opens at most NEW_SESSIONS_PER_MINUTE new sessions a minute (each costs Gradio a copy of the page's
  components, 30-60 ms of CPU and a few hundred KB, kept until it is among the least recent `SESSIONS_KEPT`);
- a join for an event that does not exist is a 400 that says so (Gradio itself answers 500);
- a training event takes its place in the training line (training_queue.TrainingQueue.reserve: one place per
  visitor, that being its share), or is turned away with how long to wait; the place is given back at once if
  Gradio refuses the join (an invalid join holds nothing).
MCP (app.py launches with mcp_server=True): a tool call reaches the app as a POST to /gradio_api/mcp, and Gradio's
own client, on loopback, sends it on as a queue join carrying that request's headers. So the door stamps each MCP
request with the client address it saw (X-Forwarded-For, replacing whatever the caller wrote: on loopback the join
is judged by that header) and with a secret of this process; a join bearing the secret comes from Gradio's MCP
client, whose one session serves every MCP caller, so it is admitted by its caller's address alone, by the same
rules and shares as any other join.
What is waiting or running is Gradio's own queue (gradio_compat.pending) plus the requests this door has let in and
Gradio has not answered yet, so a burst of simultaneous joins is counted before any of them is queued.
"""
import asyncio
import collections
import json
import os
import re
import secrets
import time
from dataclasses import dataclass

from starlette.requests import Request

import gradio_compat
import limits
from texts import TEXTS, language, text
from training_queue import QueueFull

NEW_SESSIONS_PER_MINUTE = int(os.environ.get("ROWBYROW_NEW_SESSIONS_PER_MINUTE", 60))
SESSIONS_KEPT = int(os.environ.get("ROWBYROW_SESSIONS_KEPT", 600))  # launch's state_session_capacity (app.py)
# Gradio sends an event's answer a moment before it takes the event off its queue, and a page sends its next event as
# soon as it has the answer: a join past its share waits this long for its predecessor to leave before it is refused.
ANSWER_GRACE_S = 0.5
ROUTE = re.compile(r"/(queue/join|call/v2/[^/]+|call/[^/]+|run/[^/]+|api/[^/]+|component_server)/?$")
MCP_ROUTE = re.compile(r"/gradio_api/mcp(/.*)?$")
MCP_HEADER = b"x-rowbyrow-mcp"  # the door's stamp on an MCP request, forwarded by Gradio to the join it sends


@dataclass(frozen=True)
class Share:
    """How many events of one kind one visitor may have waiting or running at once."""

    per_session: int = 1  # of the same event, from one browser session
    per_address: int = 3  # of one concurrency group, from one client address


DEFAULT_SHARE = Share()
# Teaching: the page sends each correction as it is made ("multiple"), and a check after each, so a session may have a
# few of each in line.
SHARES = {"teach": Share(per_session=3, per_address=4), "check": Share(per_session=3, per_address=4)}


@dataclass(frozen=True)
class Entry:
    """A request the door let in and Gradio has not answered yet."""

    session: str | None
    fn: int
    group: str
    address: str | None


class Door:
    """ASGI middleware: the rules above, for `blocks` (the app, queued) and its training line `training`, whose
    events are `train_fns`; a training join is expected to take `train_expected_s()` seconds until its handler says."""

    def __init__(self, app, blocks, training, train_fns: frozenset[int], train_expected_s, shares: dict = SHARES,
                 new_sessions_per_minute: int = NEW_SESSIONS_PER_MINUTE, sessions_kept: int = SESSIONS_KEPT):
        self.app, self.blocks, self.training, self.train_fns = app, blocks, training, train_fns
        self.train_expected_s, self.shares = train_expected_s, shares
        self.new_per_minute = new_sessions_per_minute
        self.fns = gradio_compat.fn_ids(blocks)  # id -> (api name, concurrency group)
        self.by_name = {name: i for i, (name, _) in self.fns.items() if name}
        self.in_flight: list[Entry] = []
        self.known = collections.OrderedDict()  # session hashes seen, least recent first (bounded)
        self.known_max = 4 * sessions_kept
        self.opened = collections.OrderedDict()  # address -> times it opened new sessions in the last minute
        self.secret = secrets.token_hex(16).encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and MCP_ROUTE.search(scope["path"]):
            return await self.app(self._stamped(scope), receive, send)
        route = scope["type"] == "http" and scope["method"] == "POST" and ROUTE.search(scope["path"])
        if not route:
            return await self.app(scope, receive, send)
        body = await limits.read_body(receive)  # at most MAX_BODY_BYTES: limits.RequestLimits, in front, saw to that
        if body is None:
            return
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):  # a form (an upload to component_server) or junk: Gradio says what
            message = None
        if not isinstance(message, dict):
            return await self.app(scope, limits.replay(body, receive), send)
        headers = dict(scope["headers"])
        lang = language(headers.get(b"accept-language", b"").decode("latin-1"))
        address = limits.client_address(Request(scope))
        kind = route.group(1)
        session = message.get("session_hash") if not kind.startswith("call/") else None  # call/* never has one
        session = session if isinstance(session, str) and not self._from_mcp(scope, headers) else None
        fn = self._fn(kind, message)
        if fn == "missing":
            return await limits.refuse(send, 400, text("no_such_event", lang, last=max(self.fns)))
        if session is not None and session not in self.known:
            if not self._may_open(address):
                return await limits.refuse(send, 429, text("new_sessions", lang))
            self._remember(session)
        if fn is None:  # component_server, or a name Gradio does not know either: it answers as it does
            return await self.app(scope, limits.replay(body, receive), send)
        entry, turn = Entry(session, fn, self.fns[fn][1], address), None
        if fn not in self.train_fns:
            refused = self._over_share(entry)
            deadline = time.monotonic() + ANSWER_GRACE_S
            while refused and time.monotonic() < deadline:  # the answer just sent may not have left the queue yet
                await asyncio.sleep(0.02)
                refused = self._over_share(entry)
            if refused:
                return await limits.refuse(send, 429, text(refused, lang))
        else:  # the training line is a training event's share: one place per visitor, and it says how long to wait
            try:
                turn = self.training.reserve(session, address, self.train_expected_s())
            except QueueFull as e:
                data = message.get("data")
                said = data[-1] if isinstance(data, list) and data and isinstance(data[-1], str) else ""
                return await limits.refuse(send, 429, text(e.key, said if said in TEXTS else lang, minutes=e.minutes))
        accepted = False

        async def answered(msg):
            nonlocal accepted
            if msg["type"] == "http.response.start":
                accepted = msg["status"] == 200
                if turn is not None and not accepted:  # Gradio refused the join: it holds no place, from now
                    turn.leave()
            await send(msg)

        self.in_flight.append(entry)
        try:
            await self.app(scope, limits.replay(body, receive), answered)
        finally:
            self.in_flight.remove(entry)
            if turn is not None and not accepted:  # nor when the client left before any answer
                turn.leave()

    def _stamped(self, scope) -> dict:
        """An MCP request as the app sees it: its client address (as this door judges it) in X-Forwarded-For, alone,
        and the door's secret; whatever the caller wrote in either header dropped."""
        address = limits.client_address(Request(scope))
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"x-forwarded-for", MCP_HEADER)]
        headers += [(b"x-forwarded-for", address.encode())] if address else []
        return {**scope, "headers": [*headers, (MCP_HEADER, self.secret)]}

    def _from_mcp(self, scope, headers: dict) -> bool:
        """Whether a join was sent by Gradio's MCP client, on loopback, for an MCP request this door stamped."""
        peer = scope.get("client") or ("",)
        return secrets.compare_digest(headers.get(MCP_HEADER, b""), self.secret) and peer[0] in ("127.0.0.1", "::1")

    def _fn(self, kind: str, message: dict) -> int | str | None:
        """The event a request asks for: its id; "missing" for an fn_index that is no event; None if it names none."""
        index = message.get("fn_index")
        if kind == "component_server":
            return None
        if index is not None and not kind.startswith("call/"):
            return index if isinstance(index, int) and not isinstance(index, bool) and index in self.fns else "missing"
        return self.by_name.get(kind.rsplit("/", 1)[-1])

    def _over_share(self, entry: Entry) -> str | None:
        """Why `entry` is past its visitor's share (a texts.py key), or None."""
        share = self.shares.get(entry.group, DEFAULT_SHARE)
        waiting = self.in_flight + [Entry(p.session, p.fn, p.group, limits.client_address(p.request))
                                    for p in gradio_compat.pending(self.blocks)]
        if entry.session is not None and sum(
                e.session == entry.session and e.fn == entry.fn for e in waiting) >= share.per_session:
            return "busy_event"
        if entry.address is not None and sum(
                e.address == entry.address and e.group == entry.group for e in waiting) >= share.per_address:
            return "busy_address"
        return None

    def _may_open(self, address: str | None) -> bool:
        """Whether `address` may open one more session now (at most new_per_minute a minute); counts it if so."""
        if address is None:
            return True
        now = time.monotonic()
        times = self.opened.pop(address, collections.deque())
        while times and now - times[0] > 60:
            times.popleft()
        self.opened[address] = times  # most recent last
        while len(self.opened) > self.known_max:  # addresses not heard from for longest go first
            self.opened.popitem(last=False)
        if len(times) >= self.new_per_minute:
            return False
        times.append(now)
        return True

    def _remember(self, session: str) -> None:
        self.known[session] = None
        self.known.move_to_end(session)
        while len(self.known) > self.known_max:
            self.known.popitem(last=False)
