"""The README's install, done for real: a clean venv, `pip install -r requirements.txt`, `python app.py`, a prediction."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import serve

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_requirements_alone_run_the_app(tmp_path):
    """Nothing the app imports may come from this machine's site-packages: only from requirements.txt."""
    from gradio_client import Client, handle_file

    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    # No inherited PYTHONPATH either, or the venv could still see the test interpreter's packages.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    unset = {"PYTHONPATH": None, "PYTHONHOME": None, "VIRTUAL_ENV": None}
    try:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
        t = time.perf_counter()
        pip = subprocess.run([python, "-m", "pip", "install", "-q", "-r", "requirements.txt"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=600)
        assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
        print(f"pip install -r requirements.txt: {time.perf_counter() - t:.0f} s")

        example = sorted((ROOT / "examples").glob("*.png"))[0]
        log = tmp_path / "app.log"
        with serve(python=python, env=unset, log=log, timeout=120) as (url, _):
            label, _, _, caption = Client(url, verbose=False).predict(handle_file(str(example)), api_name="/predict")
        assert label["label"] == example.stem[-1] and f"Read as **{example.stem[-1]}**" in caption, log.read_text()
    finally:
        shutil.rmtree(venv, ignore_errors=True)  # several GB of torch: not worth keeping among pytest's tmp dirs
