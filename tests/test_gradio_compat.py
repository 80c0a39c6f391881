"""Contracts with the Gradio internals that gradio_compat.py reads: each fails, naming the internal, when an installed
Gradio changes it (then gradio_compat.py is the one place to change)."""
import ast
import re
import uuid
from pathlib import Path

import gradio as gr
import pytest

import gradio_compat


@pytest.fixture(scope="module")
def demo():
    with gr.Blocks() as demo:
        box = gr.Textbox()
        box.submit(lambda x: x, box, box, api_name="echo", concurrency_id="echoes")
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
        assert gradio_compat.pending(demo) == [gradio_compat.Pending(event.session_hash, fn._id, "echoes", "the request")]
    finally:
        line.queue.remove(event)


def test_the_events_by_id(demo):
    assert gradio_compat.fn_ids(demo) == {0: ("echo", "echoes")}, "Blocks.fns' api_name or concurrency_id changed"


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
