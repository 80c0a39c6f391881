"""What the server still does for a drawing on this machine (the page reads drawings itself, in the browser:
benchmarks/canvas.py measures that): the API's /predict on an uploaded picture, in-process (making the 28x28, then
the whole reading), and how soon `python app.py` serves its page, beside a minimal Gradio app.

    python benchmarks/draw_latency.py [--n 200]
"""
import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import serve  # noqa: E402

MINIMAL_APP = """
import gradio as gr
with gr.Blocks() as demo:
    gr.Label()
demo.queue().launch()
"""


def canvas_pngs(n: int, seed: int = 0) -> list[bytes]:
    """What a client might send: n held-out drawn digits as 140x140 PNGs of dark ink on a transparent square."""
    from tests.drawn import render

    rng = np.random.default_rng(seed)
    out = []
    for d in rng.integers(0, 10, n):
        with io.BytesIO() as buf:
            Image.fromarray(render(int(d), rng, mode="transparent")).resize((140, 140), Image.Resampling.BOX).save(buf, "PNG")
            out.append(buf.getvalue())
    return out


def ms(xs: list[float]) -> str:
    q = np.percentile(xs, [50, 90, 99]) * 1000
    return f"| {q[0]:.1f} ms | {q[1]:.1f} ms | {q[2]:.1f} ms |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    import torch

    import preprocess
    from ui import draw
    from ui.common import Readers

    torch.set_num_threads(1)  # as the app runs
    readers = Readers.load()
    pngs = canvas_pngs(50)
    steps = {"`preprocess.to_mnist` (PNG to 28x28)": preprocess.to_mnist,
             "`read_digit`: /predict's whole reading (classes, picture file, belief table, caption)":
                 lambda v: draw.read_digit(readers, v)}
    print("| in-process, one frame | p50 | p90 | p99 |\n| --- | --- | --- | --- |")
    for name, fn in steps.items():
        for v in pngs[:5]:
            fn(v)
        times = []
        for i in range(args.n):
            t0 = time.perf_counter()
            fn(pngs[i % len(pngs)])
            times.append(time.perf_counter() - t0)
        print(f"| {name} {ms(times)}")

    minimal = Path(tempfile.mkdtemp()) / "minimal_app.py"
    minimal.write_text(MINIMAL_APP)
    starts = {"`python app.py`": [], "a minimal Gradio app (one Label)": []}
    for _ in range(3):  # the two take turns, so both see the same background load
        for name, script in zip(starts, ("app.py", minimal)):
            with serve(script) as (_, seconds):
                starts[name].append(seconds)
    for name, seconds in starts.items():
        print(f"page served after {name} started: {np.median(seconds):.1f} s (median of 3: "
              f"{', '.join(f'{s:.1f}' for s in seconds)})")

if __name__ == "__main__":
    main()
