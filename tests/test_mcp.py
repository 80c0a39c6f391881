"""The app as MCP tools (issue 32), called as an AI tutor's client calls them: the `mcp` package's client on
loopback lists the tools and calls each; hostile calls get the page's own errors and limits."""
import asyncio
import base64
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, serve

mcp = pytest.importorskip("mcp")
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.streamable_http import streamablehttp_client  # noqa: E402

SEVEN = ROOT / "examples" / "mnist-test-0000-digit7.png"
TOOLS = {"read_28x28", "rows_that_decided", "how_long_it_remembers", "read_digit_image", "train_short_run"}


def seven() -> list[list[float]]:
    """MNIST's test digit 7, as a tool sends it: 28 rows of 28 numbers in [0, 1], ink 1."""
    from ui.canvas import mnist_style

    return (mnist_style(Image.open(SEVEN)) / 255).round(3).tolist()


async def calls(url: str, with_training: bool) -> dict:
    out = {}
    async with streamablehttp_client(url + "gradio_api/mcp/") as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            out["tools"] = {t.name: t for t in (await session.list_tools()).tools}

            async def call(name, **args):
                result = await session.call_tool(name, args)
                return result.isError, " ".join(c.text for c in result.content if c.type == "text")

            out["read"] = await call("read_28x28", digit=seven(), model="gru")
            out["read_zh"] = await call("read_28x28", digit=seven(), lang="zh")
            out["decided"] = await call("rows_that_decided", digit=seven())
            out["memory"] = await call("how_long_it_remembers", digit=seven(), row=12, change="blank")
            png = base64.b64encode(Path(SEVEN).read_bytes()).decode()
            out["image"] = await call("read_digit_image", image=f"data:image/png;base64,{png}")
            out["bad_shape"] = await call("read_28x28", digit=[1, 2, 3])
            out["bad_range"] = await call("read_28x28", digit=[[5.0] * 28] * 28, lang="zh")
            out["bad_model"] = await call("read_28x28", digit=seven(), model="constructor")
            out["bad_change"] = await call("how_long_it_remembers", digit=seven(), change="explode")
            out["bad_row"] = await call("how_long_it_remembers", digit=seven(), row="NaN")
            out["empty"] = await call("read_28x28", digit=[0] * 784)
            if with_training:  # a short run, through the same door, training line and caps as the page's
                out["train"] = await call("train_short_run", hidden_size=8, train_size=1000, epochs=1)
                out["bad_train"] = await call("train_short_run", cell="constructor", train_size=1000)
    try:
        async with streamablehttp_client(url + "gradio_api/mcp/") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                await session.call_tool("read_28x28", {"digit": [0.5] * 400_000})  # a body past 1 MB
        out["huge"] = None
    except Exception as e:  # noqa: BLE001 (refused at the door: the client's own error)
        out["huge"] = repr(e)
    return out


def test_mcp_client_lists_and_calls_every_tool_within_the_pages_limits(mnist):
    with serve(env={"ROWBYROW_TRAIN_MAX_WAIT_S": "600"}) as (url, _):
        # On a thread of its own: the browser tests' sync Playwright holds an event loop in this one
        with ThreadPoolExecutor(1) as pool:
            out = pool.submit(asyncio.run, asyncio.wait_for(calls(url, with_training=True), 300)).result()
    tools = out["tools"]
    assert TOOLS <= set(tools), sorted(tools)
    for name in TOOLS:
        assert tools[name].description and len(tools[name].description) > 60, name  # described for the tutor
    assert "digit" in tools["read_28x28"].inputSchema["properties"]
    assert out["read"][0] is False and "Read as **7**" in out["read"][1] and "row 28: mostly 7" in out["read"][1]
    assert "第 28 行：多半是 7" in out["read_zh"][1]
    assert out["decided"][0] is False and "LSTM (answer 7)" in out["decided"][1]
    assert out["memory"][0] is False and "28: LSTM h" in out["memory"][1], out["memory"]
    assert out["image"][0] is False and "7" in out["image"][1], out["image"]
    # Hostile calls: the page's own words, in the caller's language.
    assert out["bad_shape"] == (True, out["bad_shape"][1]) and "784 numbers" in out["bad_shape"][1]
    assert out["bad_range"][0] and "0 到 1" in out["bad_range"][1] or "0 和 1" in out["bad_range"][1], out["bad_range"]
    assert out["bad_model"][0] and "must be one of" in out["bad_model"][1]
    assert out["bad_change"][0] and "invert" in out["bad_change"][1]
    assert out["bad_row"][0] and re.search("row must be a number|not of type 'integer'", out["bad_row"][1])
    assert out["empty"][0] and "empty" in out["empty"][1]
    assert out["huge"] is not None
    assert out["train"][0] is False and re.search(r"Done: \d+\.\d+% on the full MNIST test set", out["train"][1]), out["train"]
    assert out["train"][1].count(".safetensors") >= 1  # and the trained model's files
    assert out["bad_train"][0] and "not one of ['lstm', 'gru', 'rnn']" in out["bad_train"][1], out["bad_train"]
