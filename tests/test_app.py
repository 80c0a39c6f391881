"""The app as a whole: its texts in both languages, the language switch, and how its modules depend on each other."""
import ast
from pathlib import Path

import app
from texts import TEXTS

ROOT = Path(__file__).resolve().parent.parent


def project_imports() -> dict[str, set[str]]:
    """Each project module (app, model, ui.draw...) and the project modules it imports."""
    files = {p: ".".join(p.relative_to(ROOT).with_suffix("").parts) for p in [*ROOT.glob("*.py"), *ROOT.glob("ui/*.py")]}
    modules = set(files.values()) | {"ui"}
    graph = {}
    for path, name in files.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        graph[name] = {m for m in found if m in modules and m != "ui"}
    return graph


def test_model_imports_nothing_of_the_project_and_no_module_imports_itself_back():
    graph = project_imports()
    assert graph["model"] == set()
    assert {"ui.draw", "ui.inside", "ui.training", "ui.common"} <= set(graph)

    def reaches(start: str, goal: str, seen=frozenset()) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in graph.get(start, ()))

    cycles = [m for m in graph if reaches(m, m)]
    assert not cycles, cycles


def test_every_text_exists_once_in_both_languages():
    assert TEXTS["en"].keys() == TEXTS["zh"].keys()
    assert all(v.strip() for lang in TEXTS.values() for v in lang.values())
    # A key written twice in a dict literal silently keeps the second: find them in the source.
    for node in ast.walk(ast.parse((ROOT / "texts.py").read_text())):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert len(keys) == len(set(keys)), {k for k in keys if keys.count(k) > 1}


def test_every_translated_component_changes_every_text_it_registered():
    """The language switch: each registered text of each component is different in Chinese, none is missing."""
    registry = app.translated
    assert len(registry.components) > 40
    en, zh = registry.updates("en"), registry.updates("zh")
    for (component, keys), a, b in zip(registry.components, en, zh):
        assert set(a) == set(b) == set(keys) | {"__type__"}, component
        for attr in keys:
            assert a[attr] != b[attr], (component, attr)


def test_the_app_has_three_tabs_and_the_api_the_readme_shows():
    config = app.demo.get_config_file()
    tabs = [c["props"].get("id") for c in config["components"] if c["type"] == "tabitem"]
    assert tabs == ["draw", "inside", "train"]
    public = {d["api_name"] for d in config["dependencies"] if d.get("api_visibility", "public") == "public"}
    assert {"predict", "train"} <= public and not {"stop", "inside", "gradients"} & public
