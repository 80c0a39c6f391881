"""The door (admission.Door) in front of a small real Gradio app: every route into the queue or the handlers admits a
visitor's share and refuses the rest at once, a bad fn_index is a 400, new sessions per address are bounded, and a
training join that Gradio refuses holds no place in the line. Seconds, not minutes: no model, no browser."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import gradio as gr
import httpx
import pytest
from starlette.middleware import Middleware

import admission
import gradio_compat
from conftest import free_port
from training_queue import TrainingQueue

HOLD = threading.Event()  # the slow events wait on it: a test lets them go


def slow(x: str) -> str:
    HOLD.wait(10)
    return x


def fast(x: str) -> str:
    return x


def train(x: str, request: gr.Request):
    with LINE.enter(request.session_hash, None, expected_s=1):
        HOLD.wait(10)
        yield x


LINE = TrainingQueue(running=1, max_wait_s=600)


@pytest.fixture(scope="module")
def url():
    with gr.Blocks() as demo:
        box, out = gr.Textbox(), gr.Textbox()
        box.submit(slow, box, out, api_name="slow", concurrency_limit=None)
        box.change(fast, box, out, api_name="fast", queue=False)
        box.blur(train, box, out, api_name="train", concurrency_limit=None, concurrency_id="train")
    door = Middleware(admission.Door, blocks=demo, training=LINE,
                      train_fns=frozenset(k for k, f in demo.fns.items() if f.concurrency_id == "train"),
                      train_expected_s=lambda: 1.0, new_sessions_per_minute=5)
    port = free_port()
    demo.queue(max_size=64, api_open=False).launch(server_name="127.0.0.1", server_port=port,
                                                   prevent_thread_lock=True, app_kwargs={"middleware": [door]})
    demo.fn_index = {f.api_name: k for k, f in demo.fns.items()}
    yield f"http://127.0.0.1:{port}/gradio_api/", demo
    HOLD.set()
    demo.close()


def client(address: str | None = None, lang: str = "en") -> httpx.Client:
    headers = {"accept-language": lang, **({"x-forwarded-for": address} if address else {})}
    return httpx.Client(headers=headers, timeout=20)


def join(http, url, demo, api: str, session: str | None = None, fn_index=None, data=("x",)):
    """A queue join as a page sends it (`data` as a string: a join Gradio itself refuses)."""
    return http.post(url + "queue/join", json={
        "data": data if isinstance(data, str) else list(data), "session_hash": session or uuid.uuid4().hex,
        "fn_index": demo.fn_index[api] if fn_index is None else fn_index})


@pytest.fixture(autouse=True)
def held(url):
    HOLD.clear()
    yield
    HOLD.set()
    deadline = time.monotonic() + 10
    while (gradio_compat.pending(url[1]) or LINE.line) and time.monotonic() < deadline:
        time.sleep(0.05)  # the held events answer and leave the queue and the line


def test_a_session_has_one_event_of_a_kind_waiting_and_the_next_once_it_is_answered(url):
    base, demo = url
    with client() as http:
        assert join(http, base, demo, "slow", "s1").status_code == 200
        r = join(http, base, demo, "slow", "s1")
        assert r.status_code == 429 and r.json()["detail"].startswith("⏳ Your previous request of this kind is still")
        assert join(http, base, demo, "slow", "s2").status_code == 200  # another session (a local visitor: no address)
        HOLD.set()
        time.sleep(0.3)
        assert join(http, base, demo, "slow", "s1").status_code == 200


def test_an_address_has_its_share_of_a_kind_on_every_route_and_others_are_still_served(url):
    base, demo = url
    with client("81.2.69.1", "zh") as http, client("81.2.69.2") as other:
        got = [join(http, base, demo, "slow").status_code for _ in range(admission.DEFAULT_SHARE.per_address)]
        assert got == [200] * admission.DEFAULT_SHARE.per_address
        routes = {"queue/join": lambda: join(http, base, demo, "slow"),
                  "call/slow": lambda: http.post(base + "call/slow", json={"data": ["x"]}),
                  "call/v2/slow": lambda: http.post(base + "call/v2/slow", json={"x": "x"})}
        for route, send in routes.items():
            r = send()
            assert r.status_code == 429 and "来自你的网络的同类请求太多" in r.json()["detail"], (route, r.text)
        assert join(other, base, demo, "slow").status_code == 200  # another address is not touched
        pending = [p for p in gradio_compat.pending(demo) if p.fn == demo.fn_index["slow"]]
        assert len(pending) == admission.DEFAULT_SHARE.per_address + 1  # the refused ones never reached the queue


def test_run_routes_count_while_they_run_and_a_bad_fn_index_is_a_400(url):
    base, demo = url
    with client("81.2.69.3") as http:
        r = http.post(base + "run/predict", json={"data": ["x"], "fn_index": demo.fn_index["fast"],
                                                  "session_hash": "r1"})
        assert r.status_code == 200 and r.json()["data"] == ["x"]
        r = http.post(base + "api/fast", json={"data": ["y"], "session_hash": "r1"})  # by its name, the other route
        assert r.status_code == 200 and r.json()["data"] == ["y"]
        for index in (10**30, -1, "0", [1], True):
            r = join(http, base, demo, "slow", fn_index=index)
            assert r.status_code == 400 and r.json()["detail"].startswith("There is no such event"), index
            for route in ("run/predict", "api/predict"):
                r = http.post(base + route, json={"data": ["x"], "fn_index": index, "session_hash": "r1"})
                assert r.status_code == 400, (route, index)


def test_an_address_opens_only_so_many_sessions_a_minute(url):
    base, demo = url
    with client("81.2.69.4") as http:
        said = [http.post(base + "run/predict", json={"data": ["x"], "fn_index": demo.fn_index["fast"],
                                                      "session_hash": f"new-{i}"}) for i in range(7)]
        assert [r.status_code for r in said] == [200] * 5 + [429] * 2
        assert said[-1].json()["detail"].startswith("⏳ Too many new visits from your network")
        r = http.post(base + "run/predict", json={"data": ["x"], "fn_index": demo.fn_index["fast"],
                                                  "session_hash": "new-0"})
        assert r.status_code == 200  # a session it already has is not a new one


def test_a_training_join_that_gradio_refuses_holds_no_place_and_a_burst_gets_one(url):
    base, demo = url
    with client("81.2.69.5") as http, client("81.2.69.6") as other:
        bad = join(http, base, demo, "train", "t1", data="x")  # not a list: Gradio refuses it after the door
        assert bad.status_code != 200 and not LINE.line  # the place the door kept went back at once
        with ThreadPoolExecutor(4) as pool:  # a burst from one address, each with its own session (5 a minute)
            got = list(pool.map(lambda i: join(http, base, demo, "train", f"b{i}"), range(4)))
        assert sorted(r.status_code for r in got) == [200] + [429] * 3
        assert all(r.json()["detail"].startswith("You already have a run") for r in got if r.status_code == 429)
        assert join(other, base, demo, "train", "o1").status_code == 200  # another visitor waits in line
        assert len(LINE.line) == 2


def test_a_place_kept_for_a_caller_of_unknown_address_is_taken_up_by_its_handler():
    """Gradio's MCP server sends each tool call on through a client on loopback, with no public address: the door
    keeps the call a place with none, and the handler (whose session the door never saw) takes that place up rather
    than queueing behind it for ever."""
    line = TrainingQueue(running=1, max_wait_s=600)
    kept = line.reserve(None, None, 5.0)
    taken = line.enter("a-session-the-door-never-saw", None, 1, 5.0)
    assert taken is kept and len(line.line) == 1 and not taken.reserved
    taken.leave()


def test_an_mcp_request_is_stamped_with_the_callers_address_and_a_forged_stamp_counts_for_nothing():
    """The door writes an MCP request's address itself (a caller's own X-Forwarded-For and stamp are dropped), and
    only a join from loopback bearing this door's secret is taken for Gradio's MCP client."""
    import asyncio

    with gr.Blocks() as demo:
        gr.Textbox().submit(lambda s: s, gr.Textbox(), gr.Textbox())
    seen = []

    async def app(scope, receive, send):
        seen.append(scope)

    door = admission.Door(app, blocks=demo, training=TrainingQueue(running=1), train_fns=frozenset(),
                          train_expected_s=lambda: 1.0)
    forged = [(b"x-forwarded-for", b"8.8.8.8"), (admission.MCP_HEADER, b"guessed"), (b"host", b"example.org")]
    scope = {"type": "http", "method": "POST", "path": "/gradio_api/mcp/", "headers": forged, "query_string": b"",
             "client": ("81.2.69.160", 4000), "server": ("example.org", 80), "scheme": "http", "root_path": ""}
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the browser tests' Playwright holds this thread's
        pool.submit(asyncio.run, door(scope, None, None)).result()
    (stamped,) = seen
    headers = [(k, v) for k, v in stamped["headers"] if k in (b"x-forwarded-for", admission.MCP_HEADER)]
    assert headers == [(b"x-forwarded-for", b"81.2.69.160"), (admission.MCP_HEADER, door.secret)]
    assert door._from_mcp({"client": ("127.0.0.1", 5)}, dict(stamped["headers"]))  # Gradio's client, on loopback
    assert not door._from_mcp({"client": ("127.0.0.1", 5)}, dict(forged))  # a guessed stamp
    assert not door._from_mcp({"client": ("81.2.69.160", 5)}, dict(stamped["headers"]))  # the stamp, from outside
