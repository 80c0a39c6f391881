"""The Gradio internals this app reads, each behind one function here; tests/test_gradio_compat.py checks every one
against the installed Gradio and fails, naming it, when a release changes it. Nothing else in the app reaches past
Gradio's public API for these."""
from dataclasses import dataclass

import gradio as gr


@dataclass(frozen=True)
class Pending:
    """An event in Gradio's queue, waiting or running: who sent it, and what it runs."""

    session: str
    fn: int
    group: str  # its concurrency id: the events that share workers
    request: object  # the HTTP request that queued it (its client address: limits.client_address)


def pending(blocks: gr.Blocks) -> list[Pending]:
    """Every event in the app's queue, waiting or running (Blocks._queue: its per-concurrency-id lines and active
    jobs)."""
    queue = blocks._queue
    events = [e for line in queue.event_queue_per_concurrency_id.values() for e in line.queue]
    events += [e for job in queue.active_jobs if job for e in job]
    return [Pending(e.session_hash, e.fn._id, str(e.fn.concurrency_id), e.request) for e in events]


def fn_ids(blocks: gr.Blocks) -> dict[int, tuple[str | None, str]]:
    """Every event of the app by id: its API name and its concurrency id (Blocks.fns, public in use, private in type)."""
    return {i: (fn.api_name if isinstance(fn.api_name, str) else None, str(fn.concurrency_id))
            for i, fn in blocks.fns.items()}
