"""Contracts with the Gradio internals that gradio_compat.py reads: each fails, naming the internal, when an installed
Gradio changes it (then gradio_compat.py is the one place to change)."""
import uuid

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
