"""Fixtures the tests share, and `serve()`, which tests and benchmarks use to start a real app server."""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "artifacts"  # screenshots the browser tests leave for a person to look at


def pytest_collection_finish(session):
    """When the fresh-venv test is to run, its install (a clean venv, pip install -r requirements.txt: a minute or
    more of copying) starts now, in the background, while the other tests use the CPUs; the test waits for it."""
    if any(item.nodeid.startswith("tests/test_fresh_venv.py") for item in session.items):
        import test_fresh_venv

        test_fresh_venv.start_install()


def pytest_sessionfinish(session):
    """The fresh-venv install gone, whether its test ran or the session stopped first."""
    module = sys.modules.get("test_fresh_venv")
    if module:
        module.remove_install()
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, headless, as root, on a machine with no network: no sandbox, no GPU, nothing phoning home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def launch_chromium(playwright):
    """Debian's Chromium driven by Playwright (tests and benchmarks); a clear failure when it is not installed."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} missing: apt-get install -y chromium (.ci/run does)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: str | Path = "app.py", python: str | Path = sys.executable, env: dict | None = None,
          timeout: float = 90, log: Path | None = None):
    """Start `python script` as a user would, on a free port; yield (url, seconds until its page answered).
    `env` adds to this process's environment (None removes a variable). Fails with the server's log if it exits
    or does not answer within `timeout`."""
    port = free_port()
    log = log or Path(tempfile.mkstemp(prefix="server-", suffix=".log")[1])
    env = {**os.environ, **(env or {}), "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    env = {k: v for k, v in env.items() if v is not None}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(python), str(script)], cwd=ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                    raise RuntimeError(f"{script} did not start:\n{log.read_text()}")
                time.sleep(0.1)
        yield url, time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def mnist():
    """The full MNIST from $MNIST_ROOT (CI sets it); tests that need it are skipped without it."""
    root = os.environ.get("MNIST_ROOT")
    if not root or not (Path(root) / "MNIST" / "raw" / "t10k-images-idx3-ubyte").exists():
        pytest.skip("set MNIST_ROOT to a folder holding MNIST/raw to run this test")
    import data

    return data.load_mnist(root)


@pytest.fixture(scope="session")
def readers():
    """The shipped models, as the app loads them."""
    from ui.common import Readers

    return Readers.load()


@pytest.fixture(scope="session")
def server():
    """`python app.py` on a free port, for the whole session; yields its URL."""
    with serve() as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """The app in a fresh desktop tab (1366x900), its pen ready; an error in its console fails the test."""
    from test_browser import DESKTOP, open_app

    context = browser.new_context(**DESKTOP)
    page = open_app(context, server)
    yield page
    context.close()
    assert not page.errors, page.errors


@pytest.fixture(scope="module")
def one_torch_thread():
    """One thread per op, as the app runs: on a busy 2-core machine two threads per op wait on each other."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
