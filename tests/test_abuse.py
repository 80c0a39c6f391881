"""Issue 15's attacks against `python app.py`, each refused, the app still serving (benchmarks/abuse.py measures them);
and the pieces that refuse them: the training queue, the client address behind a proxy, the cache sweep."""
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

import limits
from benchmarks import abuse
from training_queue import QueueFull, TrainingQueue

pytestmark = pytest.mark.abuse
BOMB_SAID = "more than 16,777,216 pixels"
NOT_UPLOADED = "Send the image as a file upload (gradio_client: handle_file(path))"


# ---- the training queue -------------------------------------------------------------------------------------------

def test_one_place_per_session_and_per_client_and_a_line_as_long_as_its_expected_wait():
    q = TrainingQueue(running=1, max_wait_s=60, run_seconds=300)
    first = q.enter("s1", "1.2.3.4", expected_s=20)
    assert first.wait(0) == 0 and first.wait_s() == 0  # trains at once
    for session, client in (("s1", None), ("s9", "1.2.3.4")):  # the same session, or the same address
        with pytest.raises(QueueFull) as e:
            q.enter(session, client)
        assert e.value.key == "train_yours" and e.value.minutes == 1  # its own run is expected to end within 20 s
    second, third = q.enter("s2", None, expected_s=20), q.enter("s3", "5.6.7.8", expected_s=20)
    assert (second.wait(0.01), third.wait(0), second.waiting()) == (1, 2, 2)
    assert 15 < second.wait_s() <= 20 and 35 < third.wait_s() <= 40  # each waits for the runs ahead of it
    fourth = q.enter("s4", None, expected_s=20)  # starts about 60 s from now: still within the line's wait
    with pytest.raises(QueueFull) as e:  # would start about 80 s from now
        q.enter("s5", None, expected_s=20)
    assert e.value.key == "train_queue_full" and e.value.minutes == 1  # room once 20 s more have gone
    first.leave()
    assert (second.wait(0), third.wait(0), fourth.wait(0)) == (0, 1, 2)  # in order of arrival
    with third:
        pass
    assert q.line == [second, fourth] and q.enter("s1", "1.2.3.4", expected_s=5).wait(0) == 2  # may queue again


def test_a_waiting_turn_wakes_when_the_one_ahead_leaves():
    q = TrainingQueue(running=1)
    ahead, behind = q.enter("a", expected_s=10), q.enter("b", expected_s=10)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:
        place = pool.submit(behind.wait, 10)
        time.sleep(0.1)
        ahead.leave()
        assert place.result() == 0 and time.perf_counter() - t0 < 5  # woken, not timed out


def test_a_place_kept_at_the_door_is_taken_up_by_its_handler_or_given_back():
    q = TrainingQueue(running=1, max_wait_s=600, run_seconds=300, reserve_s=0.2)
    q.reserve("s1", "1.2.3.4", 10)  # the door, at the join
    with pytest.raises(QueueFull) as e:  # the same address again, another session: turned away at the door too
        q.reserve("s2", "1.2.3.4", 10)
    assert e.value.key == "train_yours"
    turn = q.enter("s1", "1.2.3.4", runs=2, expected_s=30)  # its handler: the same place, now with its runs' time
    assert q.line == [turn] and not turn.reserved and turn.budget_s == 600 and turn.expected_s == 30
    assert turn.wait(0) == 0
    q.reserve("s3", None, 10)
    q.reserve("s3", None, 10)  # its join failed Gradio's checks, and the same session joins again: the same place
    assert [t.session for t in q.line] == ["s1", "s3"]
    q.reserve(None, "5.6.7.8", 10).leave()  # an API call's join that Gradio refused: the door gives it back
    api = q.reserve(None, "5.6.7.8", 10)  # an API call has no session: its handler finds its place by address
    assert q.enter("random-event-id", "5.6.7.8", expected_s=10) is api and not api.reserved
    time.sleep(0.3)  # "s3" never taken up (a join that failed before its handler ran): the place goes back
    assert q.enter("s4", expected_s=10).wait(0) == 2 and [t.session for t in q.line] == ["s1", None, "s4"]


def test_a_turn_whose_handler_is_gone_loses_its_place():
    q = TrainingQueue(running=1, run_seconds=1, grace_s=0.2)
    running, waiting = q.enter("a", expected_s=1), q.enter("b", expected_s=1)
    running.wait(0)
    time.sleep(0.3)  # `waiting` stops asking; `running` is within its time limit plus grace
    assert q.enter("c", expected_s=1).wait(0) == 1 and q.line == [running, q.line[1]] and waiting not in q.line
    time.sleep(1)  # `running` is past its limit and grace: a run stops itself before that
    assert running not in q.enter("d", expected_s=1).queue.line


# ---- who a visitor is, and the disk ---------------------------------------------------------------------------------

def request(peer: str, forwarded: str | None = None):
    return SimpleNamespace(client=SimpleNamespace(host=peer),
                           headers={"x-forwarded-for": forwarded} if forwarded else {})


@pytest.mark.parametrize("peer, forwarded, address", [
    ("8.8.8.8", "1.1.1.1", "8.8.8.8"),  # a public peer is the visitor; what it says it forwards is not believed
    ("10.0.3.7", "9.9.9.9, 1.1.1.1", "1.1.1.1"),  # a proxy: the address it saw, not what the client wrote before
    ("10.0.3.7", "1.1.1.1, 10.1.2.3", "1.1.1.1"),  # proxies of its own after it
    ("127.0.0.1", None, None),  # a local visitor: no address, only the session and global caps
    ("10.0.3.7", "not an address", None),
])
def test_the_client_address_is_the_one_the_nearest_public_hop_saw(peer, forwarded, address):
    assert limits.client_address(request(peer, forwarded)) == address


def test_the_sweep_deletes_old_files_then_the_oldest_until_the_rest_fit(tmp_path):
    now = time.time()
    for i in range(6):  # 6 files of 100 bytes, one a minute old to six minutes old, in folders of their own
        f = tmp_path / f"d{i}" / "f.png"
        f.parent.mkdir()
        f.write_bytes(b"x" * 100)
        os.utime(f, (now - 60 * (i + 1),) * 2)
        os.utime(f.parent, (now - 3600,) * 2)
    assert limits.sweep(tmp_path, max_age_s=330, max_bytes=10**6, max_files=100) == (1, 5, 500)  # d5: 6 min old
    assert limits.sweep(tmp_path, max_age_s=10**6, max_bytes=250, max_files=100) == (3, 2, 200)  # d4, d3, d2
    assert limits.sweep(tmp_path, max_age_s=10**6, max_bytes=10**6, max_files=1) == (1, 1, 100)  # d1
    assert len(list(tmp_path.iterdir())) == 6  # a folder just emptied may be about to be used: it waits a minute
    for folder in tmp_path.iterdir():
        os.utime(folder, (now - 61,) * 2)
    assert limits.sweep(tmp_path) == (0, 1, 100) and [p.name for p in tmp_path.iterdir()] == ["d0"]


# ---- through a real server ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app():
    """`python app.py` with a Gradio folder of its own, a 2 MB cache swept every second and runs of at most 30 s."""
    env = {"ROWBYROW_CACHE_MAX_BYTES": str(2 << 20), "ROWBYROW_SWEEP_EVERY_S": "1", "ROWBYROW_MAX_TRAIN_SECONDS": "30"}
    with abuse.App(env, log=Path(tempfile.mkstemp(prefix="abuse-server-", suffix=".log")[1])) as app:
        yield app


@pytest.fixture(scope="module")
def seven(app):
    """A reading that must keep working: a drawn 7 uploaded once."""
    return abuse.Visitor(app).upload(abuse.digit_png(7))


def reads(app, seven) -> bool:
    _, out = abuse.Visitor(app).predict(seven)
    return "data" in out and out["data"][0]["label"] == "7"


def test_training_joins_from_one_client_cannot_fill_the_queue(app, seven, mnist):
    """65 /train joins from one address: one trains, the 64 others are told so at once, at the door (HTTP 429, before
    Gradio queues them), none gets Gradio's "queue is full" (HTTP 503), and a reading is answered meanwhile. Other
    visitors each get a place in line (a line of a few short runs is far under its 10 minutes)."""
    attack = [abuse.Join(app, abuse.PROXY, abuse.TRAIN) for _ in range(65)]
    others = [abuse.Join(app, f"5.6.7.{i}", abuse.TRAIN) for i in range(4)]
    try:
        for j in attack:
            j.start()
        assert all(j.first.wait(60) for j in attack)
        refused = [j.said for j in attack if j.said]
        assert len(refused) == 64
        # Past the address's 60 new sessions a minute (admission.Door), the door refuses the session itself.
        yours = [s for s in refused if s.startswith("HTTP 429: You already have a run training or waiting")]
        too_many = [s for s in refused if s.startswith("HTTP 429: ⏳ Too many new visits from your network")]
        assert len(yours) >= 59 and len(yours) + len(too_many) == 64
        # Malformed values in a refused join: still a clear refusal, in the Accept-Language's words where the
        # event's language is not one.
        script = abuse.Visitor(app, abuse.PROXY, lang="zh")
        script.session = next(j.visitor.session for j in attack if "Too many new visits" not in j.said)  # a known one
        for data in ([*abuse.TRAIN[:-1], ["zh"]], [*abuse.TRAIN[:-1], {"a": 1}], {"lang": "en"}, [], "x" * 1000):
            r = script.join("train", data)
            assert r.status_code == 429 and r.json()["detail"].startswith("你已经有一个训练"), (data, r.text[:200])
        for body in ('{"fn_index": [1], "session_hash": "s"}', "[" * 100_000 + "]" * 100_000, b"\xff{", "no"):
            r = script.http.post("gradio_api/queue/join", content=body, headers={"content-type": "application/json"})
            assert r.status_code in (400, 422), r.text[:200]  # Gradio's own answer to what is not a join
        assert reads(app, seven)
        for j in others:  # one after the other: each waits in line
            j.start()
            assert j.first.wait(60)
        assert [j.said for j in others] == [""] * 4
        assert reads(app, seven)
    finally:
        for j in [*attack, *others]:
            j.cancel()
        for j in [*attack, *others]:
            j.join(30)
        time.sleep(1.5)  # the cancelled handlers give their places back


@pytest.mark.parametrize("name, payload", [
    ("webp", lambda v: v.upload(abuse.WEBP_BOMB, "bomb.webp")),
    ("png", lambda v: v.upload(abuse.png_bomb(), "bomb.png")),
    ("data url", lambda v: {"url": abuse.WEBP_BOMB_URL, "meta": abuse.META}),
])
def test_a_decompression_bomb_is_refused_from_its_header(app, seven, name, payload):
    v = abuse.Visitor(app)
    before = app.reset_peak()
    _, out = v.predict(payload(v))
    assert BOMB_SAID in out["error"] and app.peak() - before < 100  # MiB: the 13000x13000 would be 650
    assert reads(app, seven)


def test_twenty_bombs_at_once_stay_within_300_mb(app, seven):
    row = abuse.at_once(app, 20, "webp", abuse.WEBP_BOMB, "bomb.webp")
    assert BOMB_SAID in row["said"] and row["peak_delta"] <= 300 and row["after_ok"] and not row["during_errors"]


def test_files_outside_the_uploads_are_never_read(app, seven):
    rows = abuse.outside_paths(app)
    assert not [r for r in rows if r["read"]]
    without_meta = {r["said"] for r in rows if "meta" not in r["target"] and not r["target"].startswith("GET")}
    assert len(without_meta) == 1 and NOT_UPLOADED in without_meta.pop()  # no hint of whether a path exists
    assert reads(app, seven)


def test_huge_bodies_and_long_urls_are_refused_before_they_are_read(app, seven):
    rows = abuse.huge_requests(app)
    assert [r["said"].split()[1] for r in rows] == ["413", "413", "413", "414", "414"]
    assert all(r["peak_delta"] < 50 and r["after_ok"] for r in rows)  # a 500 MB body was not read
    assert reads(app, seven)


def test_there_is_no_way_around_the_queue(app):
    """Gradio's /run/ routes would call a handler outside the queue, its concurrency and the training line: closed
    (api_open=False, as on a Space)."""
    for name in ("predict", "train"):
        r = httpx.post(app.url + f"gradio_api/run/{name}", json={"data": [None, "lstm", None, "en"]})
        assert r.status_code == 404 and "join the queue" in r.json()["detail"]


def test_the_cache_stays_within_its_bound(app, mnist):
    v = abuse.Visitor(app)
    for k in range(120):  # distinct drawings: about 26 KB of pictures each
        assert "data" in v.predict(v.upload(abuse.digit_png(k % 10, seed=k), f"d{k}.png"))[1]
    for _ in range(20):  # the line may still be emptying after the test before
        _, out = v.call("train", ["rnn", 8, 0.01, 64, 1, 1000, 1, False, "en"])
        if "data" in out:
            break
        time.sleep(1)
    files = [Path(f["path"]) for f in out["data"][1]]
    assert all(f.is_relative_to(app.cache) for f in files)  # the trained model is in the swept folder
    time.sleep(3)  # a sweep or two
    size, n = app.cache_mib()
    assert size <= 2 and n <= limits.CACHE_MAX_FILES


def test_transparent_png_and_errors_in_the_visitors_language(app):
    rows = {r["case"]: r["said"] for r in abuse.smaller(app)}
    assert rows["transparent PNG (ink in alpha), en"] == "read as 7"
    assert rows["not an image, zh"] == "notes.png 不是我们能读取的图片文件（PNG、JPEG、WebP、GIF、BMP 或 TIFF）。"
    assert rows["a number as the image, zh"].startswith("图片必须是文件")
    assert rows["a number as the model, en"] == "The model must be one of lstm, gru, rnn; got 5."


def test_a_refused_value_is_never_copied_into_the_log_in_full(app):
    """Gradio's own checks quote a refused value in their error, and print it: each line of the log stays short."""
    v = abuse.Visitor(app)
    before = app.log.stat().st_size
    updates = [d for d in httpx.get(app.url + "config").json()["dependencies"] if str(d["api_name"]).startswith("updates")]
    switch = max(updates, key=lambda d: len(d["outputs"]))["id"]  # the language switch: it updates every text
    for _ in range(5):
        r = v.http.post("gradio_api/run/predict", json={"data": ["x" * 900_000], "fn_index": switch,
                                                         "session_hash": v.session})
        assert "is not in the list of choices" in r.json()["error"]
    time.sleep(0.5)
    grown = app.log.stat().st_size - before
    assert 0 < grown < 5 * 10_000  # 0.9 MB each, were it copied
    assert max(map(len, app.log.read_text().splitlines())) <= limits.MAX_LOG_LINE + 30
