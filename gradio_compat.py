"""The Gradio internals this app reads, each behind one function or class here; tests/test_gradio_compat.py checks
every one against the installed Gradio and fails, naming it, when a release changes it, and fails when any other
file of the app reaches past Gradio's public API."""
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from gradio.context import LocalContext
from gradio_client import utils as client_utils


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
    """Every event of the app by id: its API name and its concurrency id (Blocks.fns and its BlockFunctions)."""
    return {i: (fn.api_name if isinstance(fn.api_name, str) else None, str(fn.concurrency_id))
            for i, fn in blocks.fns.items()}


def current_request() -> gr.Request | None:
    """The gr.Request of the event being served in this context, None outside one (gradio.context.LocalContext)."""
    return LocalContext.request.get(None)


def component_id(component: gr.components.Component) -> int:
    """The component's id in the page's config, config["components"][i]["id"] (Block._id)."""
    return component._id


def built_with(component: gr.components.Component) -> dict:
    """The keyword arguments the component was built with (Component.constructor_args)."""
    return component.constructor_args


def upload_folder() -> Path:
    """Gradio's upload folder, where it keeps and serves files (gradio.utils.get_upload_folder)."""
    return Path(gr.utils.get_upload_folder())


class UrlsNotFetched:
    """A file component mixin: a URL sent as a file's path stays a URL (Block.async_move_resource_to_block_cache)."""

    async def async_move_resource_to_block_cache(self, url_or_file_path):
        if client_utils.is_http_url_like(str(url_or_file_path)):
            return str(url_or_file_path)
        return await super().async_move_resource_to_block_cache(url_or_file_path)


class ConfigPerRequest(gr.Blocks):
    """A Blocks serving served_config(c) of the config c Gradio builds (Blocks.config: set at launch, read per page)."""

    def served_config(self, config: dict | None) -> dict | None:
        """The config to serve now (in a request's context), from the one Gradio built."""
        return config

    @property
    def config(self):
        return self.served_config(self.__dict__.get("config"))

    @config.setter
    def config(self, value):
        self.__dict__["config"] = value  # shadowed by this property: only it reads this
