"""The README's install, done for real: a clean venv, `pip install -r requirements.txt`, `python app.py`, a prediction."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import serve

ROOT = Path(__file__).resolve().parent.parent


# No inherited PYTHONPATH either, or the venv could still see the test interpreter's packages.
UNSET = {"PYTHONPATH": None, "PYTHONHOME": None, "VIRTUAL_ENV": None}
_install: tuple[subprocess.Popen, Path] | None = None  # the install under way, and its folder


def start_install() -> None:
    """A clean venv and `pip install -r requirements.txt` into it, in the background (conftest starts it once the
    tests are collected); its output in <folder>/install.log."""
    global _install
    folder = Path(tempfile.mkdtemp(prefix="fresh-venv-"))
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    python = folder / "venv" / "bin" / "python"
    script = f"'{sys.executable}' -m venv '{folder / 'venv'}' && '{python}' -m pip install -q -r requirements.txt"
    _install = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=(folder / "install.log").open("w"),
                                stderr=subprocess.STDOUT), folder


def remove_install() -> None:
    """The install stopped if it still runs, and its folder removed (several GB of torch: not worth keeping)."""
    if _install:
        _install[0].kill()
        _install[0].wait()
        shutil.rmtree(_install[1], ignore_errors=True)


@pytest.mark.slow
def test_requirements_alone_run_the_app():
    """Nothing the app imports may come from this machine's site-packages: only from requirements.txt."""
    from gradio_client import Client, handle_file

    if _install is None:  # run outside a session that started it
        start_install()
    install, folder = _install
    try:
        t = time.perf_counter()
        assert install.wait(timeout=900) == 0, (folder / "install.log").read_text()[-3000:]
        print(f"pip install -r requirements.txt: finished {time.perf_counter() - t:.0f} s after this test began")

        example = sorted((ROOT / "examples").glob("*.png"))[0]
        log = folder / "app.log"
        with serve(python=folder / "venv" / "bin" / "python", env=UNSET, log=log, timeout=120) as (url, _):
            label, _, _, caption = Client(url, verbose=False).predict(handle_file(str(example)), api_name="/predict")
        assert label["label"] == example.stem[-1] and f"Read as **{example.stem[-1]}**" in caption, log.read_text()
    finally:
        remove_install()
