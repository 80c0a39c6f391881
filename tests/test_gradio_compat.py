"""Contracts with the Gradio internals that gradio_compat.py reads: each fails, naming the internal, when an installed
Gradio changes it (then gradio_compat.py is the one place to change)."""
import ast
import asyncio
import json
import re
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gradio as gr
import pytest
from gradio import processing_utils
from gradio_client import Client, handle_file

import gradio_compat


class Served(gradio_compat.ConfigPerRequest):
    def served_config(self, config):
        return config and {**config, "title": f"served: {config['title']}"}


@pytest.fixture(scope="module")
def demo():
    with Served(title="built") as demo:
        box = gr.Textbox(elem_id="box")
        box.submit(lambda x: x, box, box, api_name="echo", concurrency_id="echoes")
        box.blur(lambda: (r := gradio_compat.current_request()) and r.session_hash, None, box, api_name="whoami")
        upload = gr.File()
        upload.upload(lambda path: path, upload, box, api_name="upload")
    demo.queue()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1")
    yield demo
    demo.close()


def test_the_queue_lists_its_waiting_and_running_events(demo):
    queue = getattr(demo, "_queue", None)
    assert queue is not None, "Blocks._queue is gone"
    for name in ("event_queue_per_concurrency_id", "active_jobs"):
        assert hasattr(queue, name), f"Blocks._queue.{name} is gone"
    assert isinstance(queue.active_jobs, list), "Blocks._queue.active_jobs is no longer a list"
    assert gradio_compat.pending(demo) == []


def test_a_queued_event_names_its_session_fn_and_request(demo):
    from gradio.queueing import Event

    fn = demo.fns[0]
    event = Event(uuid.uuid4().hex, fn, request="the request", username=None)
    for name in ("session_hash", "fn", "request"):
        assert hasattr(event, name), f"gradio.queueing.Event.{name} is gone"
    demo._queue.create_event_queue_for_fn(fn)
    line = demo._queue.event_queue_per_concurrency_id[fn.concurrency_id]
    assert hasattr(line, "queue"), "EventQueue.queue is gone"
    line.queue.append(event)
    try:
        queued = gradio_compat.Pending(event.session_hash, fn._id, "echoes", "the request")
        assert gradio_compat.pending(demo) == [queued]
    finally:
        line.queue.remove(event)


def test_the_events_by_id(demo):
    assert gradio_compat.fn_ids(demo)[0] == ("echo", "echoes"), "Blocks.fns' api_name or concurrency_id changed"
    assert len(gradio_compat.fn_ids(demo)) == 3, "Blocks.fns no longer lists every event"


def test_the_request_of_the_event_being_served(demo):
    assert gradio_compat.current_request() is None, "gradio.context.LocalContext.request is set outside an event"
    client = Client(demo.local_url, verbose=False)
    assert client.predict(api_name="/whoami") == client.session_hash, \
        "gradio.context.LocalContext.request no longer holds the event's gr.Request"


def test_a_component_s_id_is_its_id_in_the_config(demo):
    box = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "box")
    ids = [c["id"] for c in demo.config["components"] if c["props"].get("elem_id") == "box"]
    assert ids == [gradio_compat.component_id(box)], "Block._id is no longer the component's id in Blocks.config"


def test_a_component_is_built_again_from_its_arguments():
    box = gr.Textbox("some text", label="a label", lines=3, render=False)
    args = gradio_compat.built_with(box)
    assert {k: args.get(k) for k in ("value", "label", "lines")} == {"value": "some text", "label": "a label",
                                                                      "lines": 3}, "Component.constructor_args changed"
    again = gr.Textbox(**{**args, "render": False})
    assert again.get_config() == box.get_config(), "Component.constructor_args no longer rebuilds the component"


def test_uploads_land_in_the_upload_folder(demo, tmp_path):
    sent = tmp_path / "sent.txt"
    sent.write_text("an upload")
    path = Path(Client(demo.local_url, verbose=False).predict(handle_file(str(sent)), api_name="/upload"))
    assert path.resolve().is_relative_to(gradio_compat.upload_folder().resolve()), \
        "gradio.utils.get_upload_folder is no longer where uploads land"


def test_a_url_sent_as_a_file_s_path_stays_a_url():
    class Kept(gradio_compat.UrlsNotFetched, gr.File):
        pass

    assert hasattr(gr.File, "async_move_resource_to_block_cache"), "Block.async_move_resource_to_block_cache is gone"
    url = "https://example.com/a.png"  # never fetched: the test fails (no network) if Gradio would download it
    payload = {"path": url, "meta": {"_type": "gradio.FileData"}}
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the browser tests' sync Playwright runs one here
        move = processing_utils.async_move_files_to_cache(payload, Kept(render=False))
        moved = pool.submit(asyncio.run, move).result()
    assert moved["path"] == url, "Gradio no longer moves a file payload by Block.async_move_resource_to_block_cache"


def test_the_config_gradio_builds_is_served_as_given(demo):
    with urllib.request.urlopen(demo.local_url + "config", timeout=30) as r:
        served = json.load(r)
    assert served["title"] == "served: built", "Blocks.config is no longer what Gradio sets at launch and serves"
    assert any(c["props"].get("elem_id") == "box" for c in served["components"]), "Blocks.config changed"


# ---- nothing else reaches past Gradio's public API -----------------------------------------------------------------

APP = Path(__file__).resolve().parent.parent
GRADIO = Path(gr.__file__).parent
PRIVATE_MODULES = {"gradio.context", "gradio.queueing", "gradio.route_utils", "gradio.state_holder", "gradio.utils"}
PRIVATE_NAMES = {"LocalContext", "constructor_args", "async_move_resource_to_block_cache"}


def app_files() -> list[Path]:
    return sorted([*APP.glob("*.py"), *APP.glob("ui/*.py")])


def dotted(node: ast.AST) -> str:
    """`gr.utils.x` as "gradio.utils.x" (gr is gradio), for any chain of names and attributes."""
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return {"gr": "gradio"}.get(node.id, node.id) if isinstance(node, ast.Name) else "?"


def gradio_private_attributes() -> set[str]:
    """Every `._name` (one leading underscore) that the installed Gradio's own source reads or sets."""
    return {m for f in GRADIO.rglob("*.py") for m in re.findall(r"\.(_[a-zA-Z]\w*)", f.read_text(errors="replace"))}


def own_private_names(trees: list[ast.AST]) -> set[str]:
    """The private names the app defines itself: its `_functions` and methods, and the `self._x` it assigns."""
    names = set()
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def gradio_internals_used(path: Path, gradios: set[str], own: set[str]) -> list[str]:
    """Each use in `path` of a Gradio internal, as "file:line: what"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        used = None
        if isinstance(node, ast.ImportFrom) and node.module in PRIVATE_MODULES:
            used = node.module
        elif isinstance(node, ast.Import):
            used = next((a.name for a in node.names if a.name in PRIVATE_MODULES), None)
        elif isinstance(node, ast.Attribute):
            if dotted(node) in PRIVATE_MODULES:
                used = dotted(node)
            elif node.attr in PRIVATE_NAMES:
                used = node.attr
            elif node.attr == "_id" or (node.attr.startswith("_") and not node.attr.startswith("__")
                                        and node.attr in gradios and node.attr not in own):
                used = "." + node.attr
        elif isinstance(node, (ast.Name, ast.FunctionDef, ast.AsyncFunctionDef)):
            name = node.id if isinstance(node, ast.Name) else node.name
            used = name if name in PRIVATE_NAMES else None
        elif isinstance(node, ast.alias) and node.name in PRIVATE_NAMES:
            used = node.name
        if used:
            found.append(f"{path.relative_to(APP)}:{getattr(node, 'lineno', '?')}: {used}")
    return found


def test_no_gradio_internal_is_used_outside_gradio_compat():
    files = [f for f in app_files() if f.name != "gradio_compat.py"]
    own = own_private_names([ast.parse(f.read_text()) for f in files])
    used = [u for f in files for u in gradio_internals_used(f, gradio_private_attributes(), own)]
    assert {f.name for f in files} >= {"app.py", "limits.py", "common.py", "teach.py", "training.py"}
    assert used == [], "Gradio internals used outside gradio_compat.py (move each behind a function there):\n" + \
        "\n".join(used)


def test_no_javascript_is_written_inside_python():
    """The page's code is in ui/js, a file per job: no Python module holds JavaScript in a string (an arrow function,
    a DOM call, an event listener)."""
    found = []
    for path in [*APP.glob("*.py"), *APP.glob("ui/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(
                    r"=>\s*[{(\w]|document\.|addEventListener|querySelector", node.value):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found
