"""A burst of /train joins as one lean script sends it (`python app.py`, 2 vCPU): one join that trains, then N
joins at once from the same client address, each with a session of its own, all from one asyncio thread (so the
time measured is the server's, not the sending threads'). For each: when its join was acknowledged and when its
answer (the refusal: at the door, the join's own HTTP 429; else the event's first message) arrived, from the
burst's start.

    MNIST_ROOT=../shared/mnist python benchmarks/burst.py [--joins 65]
"""
import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.abuse import PROXY, TRAIN, App  # noqa: E402


async def join(client: httpx.AsyncClient, url: str, fn: int, t0: float,
               hold: asyncio.Event | None = None) -> tuple[float, float, str]:
    """One join: seconds to its acknowledgement, seconds to its first answer, and what the answer says. With `hold`,
    its stream stays open until `hold` is set, as a page's does (a join whose stream closes is cancelled)."""
    session = uuid.uuid4().hex
    r = await client.post(url + "gradio_api/queue/join", json={"data": TRAIN, "fn_index": fn, "session_hash": session,
                                                                "event_data": None, "trigger_id": None})
    joined, answer = time.perf_counter() - t0, None
    if r.status_code != 200:  # turned away at the door (admission.Door)
        return joined, joined, f"HTTP {r.status_code}: {r.json().get('detail', '')}"
    async with client.stream("GET", url + "gradio_api/queue/data", params={"session_hash": session},
                             timeout=None) as stream:
        async for line in stream.aiter_lines():
            msg = json.loads(line[5:]) if line.startswith("data:") else {}
            if answer is None and msg.get("event_id") == r.json()["event_id"] and \
                    msg.get("msg") in ("process_generating", "process_completed"):
                said = msg.get("output", {}).get("error") or "an update (training, or its place in line)"
                answer = (joined, time.perf_counter() - t0, str(said))
                if hold is None:
                    return answer
                await hold.wait()
                return answer
    return answer or (joined, float("nan"), "no answer")


async def burst(url: str, fn: int, n: int) -> tuple[tuple[float, float, str], list[tuple[float, float, str]]]:
    """The run that trains (its stream kept open), then `n` joins at once."""
    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
    async with httpx.AsyncClient(headers={"x-forwarded-for": PROXY}, limits=limits, timeout=120) as client:
        hold = asyncio.Event()
        first = asyncio.create_task(join(client, url, fn, time.perf_counter(), hold))
        await asyncio.sleep(3)  # training by now
        t0 = time.perf_counter()
        rows = await asyncio.gather(*(join(client, url, fn, t0) for _ in range(n)))
        hold.set()  # its stream closes: the run is cancelled
        return await first, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--joins", type=int, default=65)
    args = ap.parse_args()
    with App() as app:
        first, rows = asyncio.run(burst(app.url, app.deps["train"]["id"], args.joins))
        print(f"the run that trains: answered in {first[1]:.3f} s ({first[2]})")
        joined, answered = [r[0] for r in rows], [r[1] for r in rows]
        print(f"{args.joins} joins at once: acknowledged in {min(joined):.2f}-{max(joined):.2f} s; answered in "
              f"{min(answered):.2f}-{max(answered):.2f} s, median {statistics.median(answered):.2f} s")
        for said in sorted({r[2] for r in rows}):
            print(f"  {sum(r[2] == said for r in rows)} x {said[:100]}")


if __name__ == "__main__":
    main()
