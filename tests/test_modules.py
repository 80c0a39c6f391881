"""The page's code is ES modules, one library that writes no global: every ui/js file is a library module (listed in
ui/live.py's LIBRARY, imported through page.js), a view's js_on_load (on_*.js, run by ui/live.py's on_load with the
library as R) or an event's js (one arrow function); nothing in ui/js writes a property of window or globalThis; and
the views change the shared state only through the store's functions (reader.js)."""
import asyncio
import concurrent.futures
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ui import live

JS = Path(live.JS)
EVENT_JS = {"show_status.js", "to_top.js"}  # an event's js= (ui/training.py): one arrow function
WRAPPER = {"with_library.js"}  # the template of every view's js_on_load (ui/live.py's on_load)
CODE = {p.name: p.read_text() for p in JS.glob("*.js")}
VIEWS = {name for name in CODE if name.startswith("on_")}
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]""", re.M)
# A write to a global: window.x = / window['x'] = / globalThis.x = (not ==), or defined or assigned onto one.
GLOBAL_WRITE = re.compile(r"""\b(?:window|globalThis|self)\s*(?:\.\s*\w+|\[[^\]]+\])\s*(?:[-+*/|&?]{0,2})=(?!=)"""
                          r"""|Object\.(?:defineProperty|defineProperties|assign)\(\s*(?:window|globalThis|self)\b""")


def without_comments(code: str) -> str:
    return re.sub(r"(?m)^\s*//.*$|(?<![:'\"`\w])//.*$", "", code)


def test_every_file_is_a_library_module_a_view_or_an_events_js():
    kinds = set(live.LIBRARY) | VIEWS | EVENT_JS | WRAPPER
    assert set(CODE) == kinds, set(CODE) ^ kinds
    assert len(kinds) == len(live.LIBRARY) + len(VIEWS) + len(EVENT_JS) + len(WRAPPER), "a file of two kinds"
    for name in EVENT_JS:
        assert re.fullmatch(r"\(\) => [^\n]+\n?", CODE[name]), name


def test_the_library_is_es_modules_that_import_each_other_by_name():
    for name in live.LIBRARY:
        code = without_comments(CODE[name])
        assert "RowByRow" not in code, f"{name} names the old global"
        assert not re.search(r"^\(\s*\w*\s*=>\s*\{|^\}\)\(", code, re.M), f"{name} is wrapped in a function (IIFE)"
        assert re.search(r"^export\b", code, re.M), f"{name} exports nothing"
        for a, b in IMPORT.findall(code):
            target = a or b
            assert re.fullmatch(r"\./[a-z0-9_]+\.js", target), f"{name} imports {target}: only ./<file>.js"
            assert target[2:] in live.LIBRARY, f"{name} imports {target}, which is not in LIBRARY"
    # page.js names every part the views use: all the others but shared.js (re-exported by name)
    exported = {a or b for a, b in IMPORT.findall(CODE["page.js"])}
    assert exported == {f"./{n}" for n in live.LIBRARY if n != "page.js"}, exported


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js")
def test_each_library_file_parses_as_a_module():
    for name in live.LIBRARY:
        run = subprocess.run(["node", "--input-type=module", "--check"], input=CODE[name], capture_output=True,
                             text=True, timeout=30)
        assert run.returncode == 0, (name, run.stderr)


def test_nothing_writes_a_global():
    for name, code in CODE.items():
        found = GLOBAL_WRITE.findall(without_comments(code))
        assert not found, f"{name} writes a global: {found}"
    # (the pattern finds one)
    assert GLOBAL_WRITE.search("window.RowByRow = {};") and GLOBAL_WRITE.search("window['x'] ||= 1")
    assert GLOBAL_WRITE.search("Object.defineProperty(window, 'R', {})")
    assert not GLOBAL_WRITE.search("if (window.devicePixelRatio === 2) window.scrollTo({top: 0});")


def test_views_change_the_shared_state_only_through_the_store():
    for name in VIEWS:
        code = without_comments(CODE[name])
        assert "window.RowByRow" not in code and not re.search(r"\b(?:const|let|var)\s+R\b", code), name
        # no assignment to anything reached through R (the library's modules and the store's state)
        assert not re.search(r"\bR\.[\w.\[\]'\"]+\s*(?:[-+*/|&?]{0,2})=(?!=)", code), f"{name} writes through R"
        assert not re.search(r"\bstate\.[\w.\[\]'\"]+\s*(?:[-+*/|&?]{0,2})=(?!=)", code), f"{name} writes state"
    # The store hands out its state read-only; only reader.js changes it, through its functions.
    for name in set(live.LIBRARY) - {"reader.js"}:
        assert not re.search(r"\bstate\.[\w.]+\s*(?:[-+*/|&?]{0,2})=(?!=)", without_comments(CODE[name])), name


def test_the_views_run_with_the_library_module():
    code = live.on_load("on_caption.js")
    assert code == (f'import(new URL("{live.LIBRARY_URL}", document.baseURI).href).then(R => {{\n'
                    f'{CODE["on_caption.js"]}}});\n')
    assert re.fullmatch(r"rbr/[0-9a-f]{12}/page\.js", live.LIBRARY_URL)
    assert f'src="{live.LIBRARY_URL}"' in live.HEAD and 'id="rbr-shared"' in live.HEAD


def served(path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    """What live.Library answers for `path` (the app behind it answers 418)."""
    out = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        out.append(message)

    # in a thread of its own: Playwright's sync API may hold an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, live.Library(app)({"type": "http", "method": method, "path": path}, None, send)).result()
    return out[0]["status"], dict(out[0]["headers"]), out[1]["body"]


def test_the_library_is_served_by_its_version_and_cached_for_good():
    status, headers, body = served(f"/{live.LIBRARY_URL}")
    assert status == 200 and body == (JS / "page.js").read_bytes()
    assert headers[b"content-type"].startswith(b"text/javascript") and b"immutable" in headers[b"cache-control"]
    assert served(f"/prefix/{live.LIBRARY_URL.replace('page.js', 'cells.js')}")[0] == 200  # under a proxy's prefix
    assert served(f"/{live.LIBRARY_URL}", "HEAD")[2] == b""
    assert served("/rbr/000000000000/page.js")[0] == 404  # another version
    assert served(f"/rbr/{live.LIBRARY_VERSION}/on_canvas.js")[0] == 404  # not a library file
    assert served(f"/rbr/{live.LIBRARY_VERSION}/page.js", "POST")[0] == 418
    assert served("/")[0] == 418
