"""The Train tab in a real browser (headless Chromium, Playwright): how soon a run's first test accuracy is drawn
after pressing Train, for the original recipe and for a big network (256 hidden units, batch 256); and the one-click
"RNN vs LSTM, same recipe" experiment from click to result, with both runs' accuracy.

    MNIST_ROOT=../shared/mnist python benchmarks/train_tab.py [--repeat 3]
"""
import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import launch_chromium, serve  # noqa: E402



def set_number(page, elem_id: str, value: int) -> None:
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(str(value))
    box.press("Enter")


def first_accuracy(page, hidden: int, batch: int) -> float:
    """Seconds from pressing Train until the accuracy chart draws the new run (its line and legend entry)."""
    page.reload()
    page.get_by_role("tab", name="Train").click()
    set_number(page, "hidden-size", hidden)
    set_number(page, "batch-size", batch)
    t0 = time.perf_counter()
    page.locator("#train").click()
    while time.perf_counter() - t0 < 60:
        names = page.locator("#acc-plot svg .role-legend-label text").evaluate_all("ts => ts.map(t => t.textContent)")
        if any(f"h{hidden} " in n and f"b{batch}" in n for n in names):
            seconds = time.perf_counter() - t0
            break
        time.sleep(0.05)
    else:
        raise RuntimeError("the accuracy chart never drew the run")
    page.locator("#stop").click()
    page.locator("#train-status").filter(has_text="Stopped").wait_for(timeout=60_000)
    return seconds


def experiment(page) -> tuple[float, str, str]:
    """The RNN vs LSTM experiment: seconds from click to result, and each run's result line as shown."""
    page.reload()
    page.get_by_role("tab", name="Train").click()
    t0, rnn = time.perf_counter(), ""
    page.locator("#exp-cells").click()
    while time.perf_counter() - t0 < 300:
        status = page.locator("#train-status").inner_text()
        rnn = rnn or next(iter(re.findall(r"#1 rnn[^\n]*?: [\d.]+%", status)), "")
        if "Done" in status:
            return time.perf_counter() - t0, rnn, status.strip()
        time.sleep(0.1)
    raise RuntimeError("the experiment did not finish in 5 minutes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    from playwright.sync_api import sync_playwright

    with serve() as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        first_accuracy(page, 64, 64)  # warm-up: the server reads MNIST once
        print("| run | first accuracy drawn after pressing Train, median | all |\n| --- | --- | --- |")
        for name, hidden, batch in (("original recipe (LSTM 64, batch 64)", 64, 64), ("LSTM 256, batch 256", 256, 256)):
            times = [first_accuracy(page, hidden, batch) for _ in range(args.repeat)]
            print(f"| {name} | {statistics.median(times):.2f} s | {', '.join(f'{t:.2f}' for t in times)} |")
        seconds, rnn, lstm = experiment(page)
        print(f"\nRNN vs LSTM, same recipe: {seconds:.1f} s from click to result.\n  {rnn}\n  {lstm}")
        browser.close()


if __name__ == "__main__":
    main()
